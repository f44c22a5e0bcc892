# Compile-only header checks, run by CTest (see tests/headers.cmake):
#   cmake -DSRC=<source dir> -DCC=<compiler> -DCFLAGS=<flags> -DWORK=<dir>
#         -DMODE=<all|self> [-DALLOW_MISSING=ON] -P headers.cmake
# MODE=all: one file includes every native and kernel-compatible header
#   together with the common libc and UAPI headers, system headers first and
#   lksync first, each with and without _GNU_SOURCE.
# MODE=self: every header compiles on its own (native headers with only the
#   native include path; kernel-compatible and system headers with the
#   compatible tree on the path, which is where glibc meets the forwarders).
# Header lists are globbed when the test runs, so new headers are covered
# without reconfiguring. A forwarder whose native header does not exist yet is
# skipped when ALLOW_MISSING is set, and fails otherwise.
cmake_minimum_required(VERSION 3.25)

set(INC ${SRC}/include)
set(KINC ${SRC}/include/lksync/kernel)
separate_arguments(CFLAGS UNIX_COMMAND "${CFLAGS}")
set(WARN -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror)
set(SYSTEM_HEADERS
  errno.h limits.h sys/param.h sys/sysinfo.h sys/queue.h pthread.h signal.h
  sys/wait.h linux/types.h linux/futex.h strings.h string.h stdlib.h stdio.h
  sched.h time.h sys/types.h stdint.h stdbool.h stddef.h unistd.h
  sys/syscall.h)

file(GLOB native RELATIVE ${INC} ${INC}/lksync/*.h)
file(GLOB_RECURSE compat RELATIVE ${KINC} ${KINC}/*.h)
list(SORT native)
list(SORT compat)

# Which forwarders can be compiled: all the lksync headers they name exist,
# and so do the forwarders they name (to a fixed point).
set(skipped)
foreach(h ${compat})
  file(STRINGS ${KINC}/${h} incs REGEX "^#include <lksync/")
  foreach(line ${incs})
    string(REGEX REPLACE "^#include <(lksync/[^>]+)>.*" "\\1" dep "${line}")
    if(NOT EXISTS ${INC}/${dep})
      list(APPEND skipped ${h})
      message(STATUS "missing native header ${dep} (needed by <${h}>)")
    endif()
  endforeach()
endforeach()
set(changed TRUE)
while(changed)
  set(changed FALSE)
  foreach(h ${compat})
    if(h IN_LIST skipped)
      continue()
    endif()
    file(STRINGS ${KINC}/${h} incs REGEX "^#include <(linux|asm)/")
    foreach(line ${incs})
      string(REGEX REPLACE "^#include <([^>]+)>.*" "\\1" dep "${line}")
      if(dep IN_LIST skipped)
        list(APPEND skipped ${h})
        set(changed TRUE)
        break()
      endif()
    endforeach()
  endforeach()
endwhile()
list(REMOVE_DUPLICATES skipped)
if(skipped)
  list(JOIN skipped " " s)
  if(ALLOW_MISSING)
    message(STATUS "SKIPPED (native header not written yet): ${s}")
    list(REMOVE_ITEM compat ${skipped})
  else()
    message(FATAL_ERROR "forwarders name native headers that do not exist: ${s}")
  endif()
endif()

set(failures 0)
# compile(<name> <text> <include dirs...>): compile text as a C file.
function(compile name text)
  set(file ${WORK}/${name}.c)
  file(WRITE ${file} "${text}")
  set(incs)
  foreach(d ${ARGN})
    list(APPEND incs -I${d})
  endforeach()
  execute_process(COMMAND ${CC} ${CFLAGS} ${WARN} ${incs} -fsyntax-only ${file}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message("FAIL ${name}:\n${out}")
    math(EXPR f "${failures} + 1")
    set(failures ${f} PARENT_SCOPE)
  endif()
endfunction()

function(include_lines out)
  set(text "")
  foreach(h ${ARGN})
    string(APPEND text "#include <${h}>\n")
  endforeach()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

file(MAKE_DIRECTORY ${WORK})
if(MODE STREQUAL "all")
  include_lines(sys ${SYSTEM_HEADERS})
  include_lines(lk ${native} ${compat})
  set(body "int main(void) { return 0; }\n")
  foreach(gnu "" "#define _GNU_SOURCE 1\n")
    if(gnu)
      set(tag gnu)
    else()
      set(tag std)
    endif()
    compile(all_system_first_${tag} "${gnu}${sys}${lk}${body}" ${KINC} ${INC})
    compile(all_lksync_first_${tag} "${gnu}${lk}${sys}${body}" ${KINC} ${INC})
  endforeach()
  list(LENGTH native nn)
  list(LENGTH compat nc)
  message(STATUS "${nn} native and ${nc} kernel-compatible headers, both orders")
elseif(MODE STREQUAL "self")
  foreach(h ${native})
    string(MAKE_C_IDENTIFIER "native_${h}" n)
    compile(${n} "#include <${h}>\n#include <${h}>\n" ${INC})
  endforeach()
  foreach(h ${compat})
    string(MAKE_C_IDENTIFIER "compat_${h}" n)
    compile(${n} "#include <${h}>\n#include <${h}>\n" ${KINC} ${INC})
  endforeach()
  foreach(h ${SYSTEM_HEADERS})
    string(MAKE_C_IDENTIFIER "system_${h}" n)
    compile(${n} "#include <${h}>\n" ${KINC} ${INC})
  endforeach()
else()
  message(FATAL_ERROR "MODE must be all or self")
endif()

if(failures GREATER 0)
  message(FATAL_ERROR "${failures} header compile(s) failed")
endif()
