# Exported-symbol hygiene: the shared library exports only lksync_* names,
# and the static library defines no other global symbol (script:
# tests/compat/symbols.cmake).
find_program(LKSYNC_NM NAMES ${CMAKE_NM} nm)
add_test(NAME symbols COMMAND ${CMAKE_COMMAND}
  -DNM=${LKSYNC_NM} -DSHARED=$<TARGET_FILE:lksync> -DSTATIC=$<TARGET_FILE:lksync_static>
  -P ${CMAKE_CURRENT_SOURCE_DIR}/compat/symbols.cmake)
set_tests_properties(symbols PROPERTIES TIMEOUT 60 LABELS build)
if(LKSYNC_DEBUG_FLAVOR)
  add_test(NAME symbols_debug COMMAND ${CMAKE_COMMAND}
    -DNM=${LKSYNC_NM} -DSHARED=$<TARGET_FILE:lksync_debug> -DSTATIC=$<TARGET_FILE:lksync_debug_static>
    -P ${CMAKE_CURRENT_SOURCE_DIR}/compat/symbols.cmake)
  set_tests_properties(symbols_debug PROPERTIES TIMEOUT 60 LABELS build)
endif()
