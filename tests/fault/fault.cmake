# Included by the top-level CMakeLists.txt with -DSM_FAULT_INJECTION=ON:
# libstrikemap's own calls to the allocation functions go through
# tests/fault/fault.c, which fails the one asked for (SM_FAIL_ALLOC=N).
# Third-party libraries are not relinked, so only strikemap's calls count.
set(SM_FAULT_WRAPPED malloc calloc realloc strdup strndup getline open_memstream realpath)
target_sources(strikemap PRIVATE ${CMAKE_CURRENT_LIST_DIR}/fault.c)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/fault.c PROPERTIES COMPILE_OPTIONS "-w")
foreach(fn ${SM_FAULT_WRAPPED})
  target_link_options(strikemap PRIVATE "-Wl,--wrap=${fn}")
endforeach()
target_compile_definitions(strikemap PRIVATE SM_FAULT_INJECTION=1)
