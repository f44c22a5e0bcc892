# cmake -DBUILD=<build dir> -DWORK=<dir> -DLIBDIR=<lib dir, relative>
#       -DCC=<compiler> -DCFLAGS=<flags> -DLDFLAGS=<flags> -DSRC=<tests/compat>
#       -P install.cmake
# Installs the build tree into WORK/prefix and uses it as a new user would:
#  (a) kernel_style.c, unmodified kernel-style code, with
#      `pkg-config --cflags --libs lksync-kernel`;
#  (b) native.c with `pkg-config --cflags --libs lksync`;
#  (c) a CMake project using find_package(lksync) (shared, static, kernel);
#  (d) native.c linked statically against liblksync.a;
#  (e) kernel_style.c and native.c against the debug flavor, with
#      `pkg-config lksync-kernel-debug` / `lksync-debug`, when it is built.
# Also checks that nothing is installed directly in <prefix>/include/linux or
# <prefix>/include/asm. Parts needing pkg-config are skipped if it is missing.
cmake_minimum_required(VERSION 3.25)

set(CFLAGS_STR "${CFLAGS}")
set(LDFLAGS_STR "${LDFLAGS}")
separate_arguments(CFLAGS UNIX_COMMAND "${CFLAGS}")
separate_arguments(LDFLAGS UNIX_COMMAND "${LDFLAGS}")
set(PREFIX ${WORK}/prefix)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}")
  endif()
  message(STATUS "${what}: ok")
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${PREFIX})
foreach(d linux asm)
  if(EXISTS ${PREFIX}/include/${d})
    message(FATAL_ERROR "installed into the global include path: ${PREFIX}/include/${d}")
  endif()
endforeach()
foreach(f include/lksync/spinlock.h include/lksync/kernel/linux/spinlock.h
          include/lksync/kernel/asm/barrier.h ${LIBDIR}/liblksync.a
          ${LIBDIR}/pkgconfig/lksync.pc ${LIBDIR}/pkgconfig/lksync-kernel.pc
          ${LIBDIR}/cmake/lksync/lksyncConfig.cmake)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
file(GLOB sonames ${PREFIX}/${LIBDIR}/liblksync.so.*)
if(NOT sonames)
  message(FATAL_ERROR "no versioned liblksync.so.N installed")
endif()

set(ENV{LD_LIBRARY_PATH} ${PREFIX}/${LIBDIR})
set(WFLAGS -std=gnu11 -Wall -Wextra -Wno-unused-parameter)
# GCC's -Wtsan flags every stand-alone fence under -fsanitize=thread.
if(NOT CFLAGS_STR MATCHES "sanitize=thread")
  list(APPEND WFLAGS -Werror)
endif()

find_program(PKG_CONFIG NAMES pkg-config pkgconf)
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
  set(pcs lksync-kernel lksync)
  if(EXISTS ${PREFIX}/${LIBDIR}/pkgconfig/lksync-debug.pc)
    list(APPEND pcs lksync-kernel-debug lksync-debug)
  endif()
  foreach(pc ${pcs})
    run("pkg-config ${pc}" ${PKG_CONFIG} --cflags --libs ${pc})
    string(STRIP "${run_out}" flags)
    separate_arguments(flags_${pc} UNIX_COMMAND "${flags}")
  endforeach()
  run("(a) cc kernel_style.c $(pkg-config --cflags --libs lksync-kernel)"
    ${CC} ${CFLAGS} ${WFLAGS} ${SRC}/kernel_style.c -o ${WORK}/kernel_style ${flags_lksync-kernel} -pthread ${LDFLAGS})
  run("(a) run kernel_style" ${WORK}/kernel_style)
  run("(b) cc native.c $(pkg-config --cflags --libs lksync)"
    ${CC} ${CFLAGS} ${WFLAGS} ${SRC}/native.c -o ${WORK}/native ${flags_lksync} -pthread ${LDFLAGS})
  run("(b) run native" ${WORK}/native)
  if(flags_lksync-debug)
    if(NOT flags_lksync-debug MATCHES "LKSYNC_DEBUG")
      message(FATAL_ERROR "lksync-debug.pc does not define LKSYNC_DEBUG: ${flags_lksync-debug}")
    endif()
    run("(e) cc kernel_style.c $(pkg-config --cflags --libs lksync-kernel-debug)"
      ${CC} ${CFLAGS} ${WFLAGS} ${SRC}/kernel_style.c -o ${WORK}/kernel_style_debug
      ${flags_lksync-kernel-debug} -pthread ${LDFLAGS})
    run("(e) run kernel_style (debug)" ${WORK}/kernel_style_debug)
    run("(e) ldd kernel_style (debug)" ldd ${WORK}/kernel_style_debug)
    if(NOT run_out MATCHES "liblksync-debug")
      message(FATAL_ERROR "kernel_style_debug does not link liblksync-debug:\n${run_out}")
    endif()
    run("(e) cc native.c $(pkg-config --cflags --libs lksync-debug)"
      ${CC} ${CFLAGS} ${WFLAGS} ${SRC}/native.c -o ${WORK}/native_debug ${flags_lksync-debug} -pthread ${LDFLAGS})
    run("(e) run native (debug)" ${WORK}/native_debug)
  endif()
else()
  message(STATUS "pkg-config not found: (a) and (b) SKIPPED")
endif()

run("(c) configure find_package(lksync) project" ${CMAKE_COMMAND} -S ${SRC}/consumer -B ${WORK}/consumer
  -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${CFLAGS_STR}"
  "-DCMAKE_EXE_LINKER_FLAGS=${LDFLAGS_STR}" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
run("(c) build find_package(lksync) project" ${CMAKE_COMMAND} --build ${WORK}/consumer)
foreach(exe native_shared native_static kernel_style)
  run("(c) run ${exe}" ${WORK}/consumer/${exe})
endforeach()
# The static executable must not need liblksync.so.
run("(c) ldd native_static" ldd ${WORK}/consumer/native_static)
if(run_out MATCHES "liblksync")
  message(FATAL_ERROR "native_static links liblksync.so:\n${run_out}")
endif()

run("(d) cc native.c liblksync.a" ${CC} ${CFLAGS} ${WFLAGS} -I${PREFIX}/include ${SRC}/native.c
  -o ${WORK}/native_a ${PREFIX}/${LIBDIR}/liblksync.a -pthread ${LDFLAGS})
run("(d) run native (static)" ${WORK}/native_a)
