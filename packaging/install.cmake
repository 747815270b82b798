# `make install` (cmake --install) and the .deb (cpack -G DEB, `make deb`) share one layout:
#
#   PREFIX/bin/matomo-etl, PREFIX/bin/matomo-sim   (the demo finds matomo-sim next to matomo-etl)
#   PREFIX/lib/matomo-etl/libduckdb.so             DuckDB is no Debian package: a private copy, found through
#                                                  the binaries' RUNPATH $ORIGIN/../lib/matomo-etl, so the tree
#                                                  works wherever it is copied (nothing points into the build)
#   PREFIX/lib/systemd/system/matomo-etl.service, .timer    installed, not enabled
#   PREFIX/share/doc/matomo-etl/                   README, docs/, examples/ (config, cron line)
#
# Paths written into the units and the cron line are those of the install (PREFIX), chosen when installing:
# `cmake --install --prefix P` and cpack (which installs with prefix /usr under a DESTDIR) both get theirs.
include_guard(GLOBAL)

set(METL_PRIVATE_LIBDIR "lib/matomo-etl")
set_target_properties(matomo-etl matomo-sim PROPERTIES INSTALL_RPATH "$ORIGIN/../${METL_PRIVATE_LIBDIR}")

install(TARGETS matomo-etl matomo-sim RUNTIME DESTINATION bin)
install(FILES "${DUCKDB_DIR}/lib/libduckdb.so" DESTINATION "${METL_PRIVATE_LIBDIR}")

set(METL_DOCDIR "share/doc/matomo-etl")
install(FILES README.md LICENSE DESTINATION "${METL_DOCDIR}")
file(GLOB METL_USER_DOCS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/docs/*.md")
install(FILES ${METL_USER_DOCS} DESTINATION "${METL_DOCDIR}/docs")
install(FILES matomo-etl.example.toml DESTINATION "${METL_DOCDIR}/examples")

# Templates whose @BINDIR@/@DOCDIR@ are filled in at install time (see above), written under DESTDIR.
foreach(template IN ITEMS "systemd/matomo-etl.service:lib/systemd/system"
                          "systemd/matomo-etl.timer:lib/systemd/system"
                          "cron/matomo-etl.cron:${METL_DOCDIR}/examples")
  string(REPLACE ":" ";" parts "${template}")
  list(GET parts 0 source)
  list(GET parts 1 destination)
  get_filename_component(name "${source}" NAME)
  install(CODE "
    set(BINDIR \"\${CMAKE_INSTALL_PREFIX}/bin\")
    set(DOCDIR \"\${CMAKE_INSTALL_PREFIX}/${METL_DOCDIR}\")
    set(target \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${destination}/${name}\")
    message(STATUS \"Installing: \${target}\")
    configure_file(\"${CMAKE_SOURCE_DIR}/packaging/${source}.in\" \"\${target}\" @ONLY)
    list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${CMAKE_INSTALL_PREFIX}/${destination}/${name}\")")
endforeach()

# The .deb: the same tree under /usr, its Depends computed by dpkg-shlibdeps from the binaries (libduckdb.so,
# shipped inside, is resolved there), a postinst that creates the matomo-etl system user and its folders.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "matomo-etl")
set(CPACK_PACKAGE_VENDOR "matomo-etl")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Matomo raw analytics data into DuckDB or PostgreSQL, exactly once")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "matomo-etl extracts every visit and action from Matomo's Live API into a landing zone, loads it into a\n"
       "warehouse (DuckDB or PostgreSQL) exactly once, verifies it against Matomo's own totals, and models it\n"
       "into flat tables for BI tools. Ships a systemd service and timer (not enabled) and a cron example.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "matomo-etl maintainers <maintainers@users.noreply.r-seed-366c5020.example>")
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Read at run time, invisible to dpkg-shlibdeps: site time zones (/usr/share/zoneinfo), the TLS roots and the
# country names of the DWC path (/usr/share/iso-codes/json).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, ca-certificates, iso-codes")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_SOURCE_DIR}/packaging/deb/postinst" "${CMAKE_SOURCE_DIR}/packaging/deb/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

# Tests of the installed tree and of the package (tests/install/): label e2e, names install.* (the ASan run of
# scripts/run-tests.sh, which takes e2e.* and fixture.*, leaves them out). install.stage installs once into a
# DESTDIR in the build folder; the others copy that tree elsewhere and hide the build from what they run.
if(BUILD_TESTING)
  set(METL_INSTALL_TESTS "${CMAKE_SOURCE_DIR}/tests/install")
  set(METL_INSTALL_STAGE "${CMAKE_BINARY_DIR}/install-test/stage")
  get_filename_component(METL_DUCKDB_LIB_REAL "${DUCKDB_DIR}/lib" REALPATH)
  add_test(NAME install.stage COMMAND "${METL_INSTALL_TESTS}/stage.sh" "${CMAKE_BINARY_DIR}" "${METL_INSTALL_STAGE}")
  add_test(NAME install.moved_tree_runs_demo COMMAND "${METL_INSTALL_TESTS}/installed_tree_test.sh"
           "${METL_INSTALL_STAGE}/usr/local" "${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}" "${METL_DUCKDB_LIB_REAL}")
  add_test(NAME install.cron_line COMMAND "${METL_INSTALL_TESTS}/cron_line_test.sh" "${METL_INSTALL_STAGE}/usr/local")
  add_test(NAME install.systemd_units COMMAND "${METL_INSTALL_TESTS}/systemd_units_test.sh"
           "${METL_INSTALL_STAGE}/usr/local")
  add_test(NAME install.deb COMMAND "${METL_INSTALL_TESTS}/deb_test.sh"
           "${CMAKE_BINARY_DIR}" "${CMAKE_SOURCE_DIR}" "${METL_DUCKDB_LIB_REAL}")
  add_test(NAME install.deb_postinst COMMAND "${METL_INSTALL_TESTS}/deb_postinst_test.sh" "${CMAKE_SOURCE_DIR}")
  add_test(NAME install.container COMMAND "${METL_INSTALL_TESTS}/container_test.sh" "${CMAKE_SOURCE_DIR}")
  set_tests_properties(install.stage PROPERTIES FIXTURES_SETUP metl_install)
  set_tests_properties(install.moved_tree_runs_demo install.cron_line install.systemd_units
                       PROPERTIES FIXTURES_REQUIRED metl_install)
  set_tests_properties(install.stage install.moved_tree_runs_demo install.cron_line install.systemd_units install.deb
                       install.deb_postinst PROPERTIES LABELS e2e TIMEOUT 300 SKIP_RETURN_CODE 77)
  # Where a Docker daemon answers, this one builds the image from scratch (downloads, many minutes).
  set_tests_properties(install.container PROPERTIES LABELS "e2e;container" TIMEOUT 3600 SKIP_RETURN_CODE 77)
endif()
