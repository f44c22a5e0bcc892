# Layering: headers declare their layer and include only downward; src/ too
# (script: tests/compat/layering.cmake).
add_test(NAME layering COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR}
  -P ${CMAKE_CURRENT_SOURCE_DIR}/compat/layering.cmake)
set_tests_properties(layering PROPERTIES TIMEOUT 60 LABELS build)
