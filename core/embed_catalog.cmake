# Writes a C++ source that holds the catalog files of data/ as string literals, so the core is
# self-contained (no file I/O) natively and in WebAssembly.
#   cmake -DDATA_DIR=<data> -DOUT=<file.cpp> -DFILES=gpus,models,... -P embed_catalog.cmake
# A file left out of FILES is embedded as an empty string (the loader then treats it as empty).
cmake_policy(SET CMP0057 NEW)
set(all gpus models formats engines interconnects prices benchmarks mig_profiles workloads)
string(REPLACE "," ";" FILES "${FILES}")
set(content "// Generated from data/ by core/embed_catalog.cmake at build time: do not edit.\n")
string(APPEND content "namespace gpufit::embedded {\n")
foreach(name IN LISTS all)
  if(name IN_LIST FILES)
    file(READ "${DATA_DIR}/${name}.json" text)
    # Drop the indentation: JSON strings cannot hold a raw newline, so a newline and the spaces
    # after it are always layout (a third of the catalog's bytes).
    string(REGEX REPLACE "\n[ ]*" "" text "${text}")
    if(text MATCHES "\\)gpufit_json\"")
      message(FATAL_ERROR "${name}.json contains the raw-string delimiter")
    endif()
  else()
    set(text "")
  endif()
  string(APPEND content "extern const char* const k_${name};\n")
  string(APPEND content "const char* const k_${name} = R\"gpufit_json(${text})gpufit_json\";\n")
endforeach()
string(APPEND content "}  // namespace gpufit::embedded\n")
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
