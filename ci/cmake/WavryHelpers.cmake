# Shared build settings: one call per target keeps flags in one place.

# Warnings (as errors by default) and sanitizers, applied to our own targets only.
add_library(wavry_build_flags INTERFACE)
target_compile_options(wavry_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wimplicit-fallthrough -Wno-unused-parameter -Wno-missing-field-initializers)
if(WAVRY_WERROR)
  target_compile_options(wavry_build_flags INTERFACE -Werror)
endif()
# Sanitizer and coverage instrumentation, separate from the warnings so that
# generated code (protobuf) can be instrumented without our -Werror set.
add_library(wavry_instrumentation INTERFACE)
if(WAVRY_SANITIZE)
  target_compile_options(wavry_instrumentation INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(wavry_instrumentation INTERFACE -fsanitize=address,undefined)
endif()

if(WAVRY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "WAVRY_FUZZ needs clang (libFuzzer); use the 'fuzz' preset")
  endif()
  # Coverage instrumentation for everything we compile; fuzz targets add -fsanitize=fuzzer at link.
  target_compile_options(wavry_instrumentation INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(wavry_instrumentation INTERFACE -fsanitize=address,undefined)
endif()
target_link_libraries(wavry_build_flags INTERFACE wavry_instrumentation)

# wavry_component(<name> SOURCES ... DEPS ...): library target wavry_<name>,
# alias wavry::<name>, public headers under impl/<name>/include.
function(wavry_component name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(wavry_${name} STATIC ${ARG_SOURCES})
  add_library(wavry::${name} ALIAS wavry_${name})
  target_include_directories(wavry_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(wavry_${name} PUBLIC ${ARG_DEPS} PRIVATE wavry_build_flags ${ARG_PRIVATE_DEPS})
endfunction()

# wavry_test(<name> SOURCES ... DEPS ... LABELS ...): a GoogleTest binary
# registered with ctest under the given labels (default: unit).
function(wavry_test name)
  if(NOT WAVRY_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main wavry_build_flags)
  target_compile_definitions(${name} PRIVATE
    WAVRY_SHARED_DIR="${WAVRY_SHARED_DIR}"
    WAVRY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
endfunction()

# wavry_interop_test(<name> PEER <source> DEPS ... RUN <command...>): builds
# <name>_peer, our side of the exchange, from <source>, and registers ctest
# `interop.<name>` (label interop) running the independent implementation's
# script with the peer's path as its last argument. npm packages come from
# ci/interop/node_modules (installed by ci/setup).
function(wavry_interop_test name)
  if(NOT WAVRY_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "PEER" "DEPS;RUN" ${ARGN})
  add_executable(${name}_peer ${ARG_PEER})
  target_link_libraries(${name}_peer PRIVATE ${ARG_DEPS} wavry_build_flags)
  add_test(NAME interop.${name} COMMAND ${ARG_RUN} $<TARGET_FILE:${name}_peer>)
  set_tests_properties(interop.${name} PROPERTIES LABELS interop TIMEOUT 60
                       ENVIRONMENT "NODE_PATH=${PROJECT_SOURCE_DIR}/ci/interop/node_modules")
endfunction()
