# cmake -DNM=nm -DSHARED=liblksync.so -DSTATIC=liblksync.a -P symbols.cmake
# Fails on any defined global symbol not named lksync_*: from the shared
# library's dynamic symbol table (what a program can bind to) and from the
# static library's objects (what a static link adds to the program's global
# namespace). Linker-made symbols and sanitizer instrumentation are allowed.
cmake_minimum_required(VERSION 3.25)

set(ALLOWED "^(lksync_|_init$|_fini$|_edata$|_end$|__bss_start$|__end__$|_DYNAMIC$|_GLOBAL_OFFSET_TABLE_$|__odr_asan|__asan_|__tsan_|__ubsan_|__sancov_)")
set(bad)
set(count 0)
foreach(lib SHARED STATIC)
  if(lib STREQUAL "SHARED")
    set(args -D --defined-only)
  else()
    set(args -g --defined-only)
  endif()
  execute_process(COMMAND ${NM} ${args} ${${lib}}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} ${args} ${${lib}} failed:\n${err}")
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  foreach(line ${lines})
    # "ADDR TYPE NAME"; archive member headers ("x.o:") and blanks are skipped.
    if(NOT line MATCHES "^[0-9a-fA-F]* *[A-Za-z] ([^ ]+)$")
      continue()
    endif()
    set(sym ${CMAKE_MATCH_1})
    string(REGEX REPLACE "@.*" "" sym "${sym}")
    math(EXPR count "${count} + 1")
    if(NOT sym MATCHES "${ALLOWED}")
      list(APPEND bad "${lib}: ${sym}")
    endif()
  endforeach()
endforeach()
if(bad)
  list(REMOVE_DUPLICATES bad)
  list(JOIN bad "\n  " b)
  message(FATAL_ERROR "symbols not prefixed lksync_:\n  ${b}")
endif()
if(count EQUAL 0)
  message(FATAL_ERROR "no symbols found: wrong library?")
endif()
message(STATUS "${count} global symbols, all lksync_*")
