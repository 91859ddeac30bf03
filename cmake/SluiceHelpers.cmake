# One helper to declare a library and one to declare a doctest test binary, so every module is built the same way.

# sluice_library(NAME <name> SOURCES <files...> [DEPS <targets...>])
# Builds static library sluice_<name>; headers are included as "<module>/<file>.hpp" from the project root.
function(sluice_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_SOURCES)
    # A module with headers only so far: an interface library, so dependents link the same way.
    add_library(sluice_${ARG_NAME} INTERFACE)
    target_include_directories(sluice_${ARG_NAME} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(sluice_${ARG_NAME} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(sluice_${ARG_NAME} STATIC ${ARG_SOURCES})
  target_include_directories(sluice_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(sluice_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# sluice_test(NAME <name> LABEL unit|integration SOURCES <files...> [DEPS <targets...>])
# Builds a doctest binary and registers each TEST_CASE with ctest under the given label.
function(sluice_test)
  cmake_parse_arguments(ARG "" "NAME;LABEL" "SOURCES;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${PROJECT_SOURCE_DIR}/tests/doctest_main.cpp ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE doctest::doctest ${ARG_DEPS})
  target_compile_definitions(${ARG_NAME} PRIVATE
    SLUICE_NODE_BIN="${SLUICE_NODE_BIN}"
    SLUICE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SLUICE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  doctest_discover_tests(${ARG_NAME} PROPERTIES LABELS ${ARG_LABEL})
endfunction()
