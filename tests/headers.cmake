# Header compile tests (script: tests/compat/headers.cmake).
#   headers_all   every native and kernel-compatible header in one file with
#                 the common libc/UAPI headers, both include orders, -Werror
#   headers_self  every header on its own (self-contained), and each system
#                 header alone with the compatible tree on the include path
#   headers_clang headers_all with clang, when clang is installed
# ALLOW_MISSING lets a forwarder whose native header is not written yet be
# skipped (listed in the test output) instead of failing the test.
set(LKSYNC_HEADERS_ALLOW_MISSING ON)
set(_hdr_flags "${CMAKE_C_FLAGS}")
foreach(def ${LKSYNC_FLAVOR_DEFS})
  string(APPEND _hdr_flags " -D${def}")
endforeach()
foreach(mode all self)
  add_test(NAME headers_${mode} COMMAND ${CMAKE_COMMAND}
    -DSRC=${PROJECT_SOURCE_DIR} -DCC=${CMAKE_C_COMPILER} "-DCFLAGS=${_hdr_flags}"
    -DWORK=${CMAKE_CURRENT_BINARY_DIR}/headers_${mode} -DMODE=${mode}
    -DALLOW_MISSING=${LKSYNC_HEADERS_ALLOW_MISSING}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/compat/headers.cmake)
  set_tests_properties(headers_${mode} PROPERTIES TIMEOUT 300 LABELS build)
endforeach()
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  find_program(LKSYNC_CLANG clang)
  if(LKSYNC_CLANG)
    set(_hdr_defs "")
    foreach(def ${LKSYNC_FLAVOR_DEFS})
      string(APPEND _hdr_defs " -D${def}")
    endforeach()
    add_test(NAME headers_clang COMMAND ${CMAKE_COMMAND}
      -DSRC=${PROJECT_SOURCE_DIR} -DCC=${LKSYNC_CLANG} "-DCFLAGS=${_hdr_defs}"
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/headers_clang -DMODE=all
      -DALLOW_MISSING=${LKSYNC_HEADERS_ALLOW_MISSING}
      -P ${CMAKE_CURRENT_SOURCE_DIR}/compat/headers.cmake)
    set_tests_properties(headers_clang PROPERTIES TIMEOUT 300 LABELS build)
  endif()
endif()
