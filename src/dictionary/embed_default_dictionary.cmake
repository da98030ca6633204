# Writes OUTPUT, a C++ source defining DefaultDictionaryYaml() (declared in
# dictionary/default_dictionary.h) as the bytes of INPUT, the default
# dictionary. Run by src/dictionary/CMakeLists.txt at build time.
file(READ ${INPUT} yaml)
string(FIND "${yaml}" ")opendtm_yaml\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )opendtm_yaml\"")
endif()
file(WRITE ${OUTPUT}.tmp
  "// Generated from dictionary/dtm-default.yaml by embed_default_dictionary.cmake.\n"
  "#include \"dictionary/default_dictionary.h\"\n\n"
  "namespace opendtm::dictionary {\n\n"
  "std::string_view DefaultDictionaryYaml() {\n"
  "  static constexpr char kText[] = R\"opendtm_yaml(${yaml})opendtm_yaml\";\n"
  "  return std::string_view(kText, sizeof kText - 1);\n"
  "}\n\n"
  "}  // namespace opendtm::dictionary\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
