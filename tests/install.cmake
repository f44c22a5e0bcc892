# Install test: `cmake --install` into a scratch prefix, then build and run
# kernel-style and native programs against it with pkg-config, with
# find_package(lksync), and statically (script: tests/compat/install.cmake).
string(REPLACE ";" " " _inst_cflags "${CMAKE_C_FLAGS}")
add_test(NAME install COMMAND ${CMAKE_COMMAND}
  -DBUILD=${PROJECT_BINARY_DIR} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/install
  -DLIBDIR=${CMAKE_INSTALL_LIBDIR} -DCC=${CMAKE_C_COMPILER}
  "-DCFLAGS=${_inst_cflags}" "-DLDFLAGS=${CMAKE_EXE_LINKER_FLAGS}"
  -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/compat
  -P ${CMAKE_CURRENT_SOURCE_DIR}/compat/install.cmake)
set_tests_properties(install PROPERTIES TIMEOUT 600 LABELS build)
