# lksync-bench smoke test: a ~5 s run at tiny durations (minutes on a loaded
# machine: the collapsing fair CK locks at 4 threads) must print the
# tables and the targets section and write a well-formed CSV (and a PNG when
# gnuplot is there). Not a timing assertion: the numbers are not judged.
if(LKSYNC_BUILD_TOOLS AND EXISTS ${PROJECT_SOURCE_DIR}/tools/bench/CMakeLists.txt)
  find_program(LKSYNC_GNUPLOT gnuplot)
  add_test(NAME bench
    COMMAND ${CMAKE_COMMAND}
      -DBENCH=$<TARGET_FILE:lksync-bench>
      -DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}/bench-smoke
      -DGNUPLOT=${LKSYNC_GNUPLOT}
      -P ${PROJECT_SOURCE_DIR}/tools/bench/smoke.cmake)
  set_tests_properties(bench PROPERTIES TIMEOUT 300)
endif()
