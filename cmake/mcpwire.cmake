# Shared compile settings. One helper per kind of target, as curl does.

set(MCPWIRE_WARNINGS -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual)
if(MCPWIRE_WERROR)
  list(APPEND MCPWIRE_WARNINGS -Werror)
endif()

set(MCPWIRE_SAN_FLAGS "")
if(MCPWIRE_SANITIZE)
  set(MCPWIRE_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
endif()

# mcpwire_target(<target>): warnings, sanitizers, include roots.
function(mcpwire_target tgt)
  target_compile_options(${tgt} PRIVATE ${MCPWIRE_WARNINGS} ${MCPWIRE_SAN_FLAGS})
  target_compile_definitions(${tgt} PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
  if(MCPWIRE_SAN_FLAGS)
    target_link_options(${tgt} PRIVATE ${MCPWIRE_SAN_FLAGS})
  endif()
endfunction()

# Layers you can see in the build: each layer's headers are reachable only
# through an include folder of its own, staged in the build tree as links
# (<build>/include/<layer>/<folder> -> the source folder). A library exports
# its layer's folder, and through its PUBLIC links those of the layers
# below; a header of a higher layer is simply not found from a lower one,
# so a wrong-way include fails to compile.
set(MCPWIRE_STAGE ${CMAKE_BINARY_DIR}/include)

# mcpwire_stage(<layer> <name> <source>): <stage>/<layer>/<name> links to
# <source> (a folder, or one header such as engine/result.h).
function(mcpwire_stage layer name source)
  get_filename_component(parent ${MCPWIRE_STAGE}/${layer}/${name} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${MCPWIRE_STAGE}/${layer}/${name})
    file(CREATE_LINK ${source} ${MCPWIRE_STAGE}/${layer}/${name} SYMBOLIC)
  endif()
endfunction()

# mcpwire_library(<name> LAYER <layer> SOURCES...): a static library of the
# project that exports only <stage>/<layer> (stage it with mcpwire_stage).
function(mcpwire_library name)
  cmake_parse_arguments(L "" "LAYER" "" ${ARGN})
  add_library(${name} STATIC ${L_UNPARSED_ARGUMENTS})
  mcpwire_target(${name})
  target_include_directories(${name} PUBLIC ${MCPWIRE_STAGE}/${L_LAYER})
endfunction()

# mcpwire_test(<name> SOURCES... LIBS <libs> ARGS <args>): a CTest executable.
function(mcpwire_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;ARGS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  mcpwire_target(${name})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/harness ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT 300)
endfunction()

# mcpwire_cli_test(<name> <script> [TIMEOUT s]): a CTest running
# `<interpreter> <script> MCPWIRE MOCK` (bash, or python3 for *.py), label
# harness, when both programs are built.
function(mcpwire_cli_test name script)
  cmake_parse_arguments(T "" "TIMEOUT" "" ${ARGN})
  if(NOT TARGET mcpwire OR NOT TARGET mcpwire-mock)
    return()
  endif()
  set(run bash)
  if(script MATCHES "\\.py$")
    set(run python3)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_test(NAME ${name}
           COMMAND ${run} ${CMAKE_CURRENT_SOURCE_DIR}/${script}
                   $<TARGET_FILE:mcpwire> $<TARGET_FILE:mcpwire-mock>)
  set_tests_properties(${name} PROPERTIES LABELS harness TIMEOUT ${T_TIMEOUT})
endfunction()
