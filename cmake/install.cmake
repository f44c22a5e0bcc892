# Installation: the shared and static library, the headers under
# <includedir>/lksync only (the kernel-compatible tree included, as
# lksync/kernel/), pkg-config files lksync.pc and lksync-kernel.pc, and the
# CMake package lksync (imported targets lksync::lksync, lksync::lksync_static,
# lksync::kernel). The debug flavor adds liblksync-debug (shared and static),
# lksync-debug.pc and lksync-kernel-debug.pc, and lksync::debug,
# lksync::debug_static, lksync::kernel_debug. Included from the top
# CMakeLists.txt.
include(CMakePackageConfigHelpers)

set_target_properties(lksync_kernel PROPERTIES EXPORT_NAME kernel)
if(NOT TARGET lksync::kernel)
  add_library(lksync::kernel ALIAS lksync_kernel)
endif()
if(NOT TARGET lksync::lksync_static)
  add_library(lksync::lksync_static ALIAS lksync_static)
endif()

set(LKSYNC_INSTALL_TARGETS lksync lksync_static lksync_kernel)
set(LKSYNC_PC_FILES lksync lksync-kernel)
if(LKSYNC_DEBUG_FLAVOR)
  set_target_properties(lksync_debug PROPERTIES EXPORT_NAME debug)
  set_target_properties(lksync_debug_static PROPERTIES EXPORT_NAME debug_static)
  set_target_properties(lksync_debug_kernel PROPERTIES EXPORT_NAME kernel_debug)
  list(APPEND LKSYNC_INSTALL_TARGETS lksync_debug lksync_debug_static lksync_debug_kernel)
  list(APPEND LKSYNC_PC_FILES lksync-debug lksync-kernel-debug)
endif()
install(TARGETS ${LKSYNC_INSTALL_TARGETS} EXPORT lksyncTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/lksync
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/lksync/config.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lksync)

set(LKSYNC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lksync)
install(EXPORT lksyncTargets NAMESPACE lksync:: DESTINATION ${LKSYNC_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/lksyncConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lksyncConfig.cmake
  INSTALL_DESTINATION ${LKSYNC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lksyncConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lksyncConfig.cmake ${PROJECT_BINARY_DIR}/lksyncConfigVersion.cmake
  DESTINATION ${LKSYNC_CMAKE_DIR})

# pkg-config: the flavor's defines travel in Cflags, since they change
# structure layouts the inline fast paths see.
set(LKSYNC_PC_CFLAGS "")
foreach(def ${LKSYNC_FLAVOR_DEFS})
  string(APPEND LKSYNC_PC_CFLAGS " -D${def}")
endforeach()
# The .pc files are written at install time, so that
# `cmake --install --prefix DIR` gets DIR in them.
set(LKSYNC_PC_STAGE ${PROJECT_BINARY_DIR}/pkgconfig)
foreach(pc ${LKSYNC_PC_FILES})
  install(CODE "
    set(LKSYNC_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    set(LKSYNC_PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
    set(LKSYNC_PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
    foreach(v LIBDIR INCLUDEDIR)
      if(NOT IS_ABSOLUTE \"\${LKSYNC_PC_\${v}}\")
        set(LKSYNC_PC_\${v} \"\\\${prefix}/\${LKSYNC_PC_\${v}}\")
      endif()
    endforeach()
    set(PROJECT_VERSION \"${PROJECT_VERSION}\")
    set(LKSYNC_PC_CFLAGS \"${LKSYNC_PC_CFLAGS}\")
    configure_file(\"${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in\" \"${LKSYNC_PC_STAGE}/${pc}.pc\" @ONLY)
  ")
  install(FILES ${LKSYNC_PC_STAGE}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
