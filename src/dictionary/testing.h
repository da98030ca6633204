// Helpers for tests of code that reads dictionaries: a small valid dictionary
// as YAML text, so that each test can change one thing and see what happens.
#ifndef OPENDTM_DICTIONARY_TESTING_H_
#define OPENDTM_DICTIONARY_TESTING_H_

#include <gtest/gtest.h>

#include <string>

#include "dictionary/loader.h"

namespace opendtm::dictionary::testing {

#ifdef OPENDTM_SOURCE_DIR
// The shipped default dictionary (dictionary/dtm-default.yaml), loaded once
// per test binary and never freed. A load failure fails the calling test.
inline const Dictionary& DefaultDictionary() {
  static const Dictionary* loaded = [] {
    Result<Dictionary> result =
        LoadDictionaryFile(std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml");
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return new Dictionary(result.ok() ? std::move(result).value() : Dictionary());
  }();
  return *loaded;
}
#endif

// A valid dictionary with two choice lists (yes_no_unknown, lighting), a site
// id, a population count, two scored gbv_risk indicators and one protection
// indicator, labelled in English and French.
inline std::string SmallDictionaryYaml() {
  return R"(version: 2026.11.1
choice_lists:
  yes_no_unknown:
    - {name: "yes", label: {en: "Yes", fr: "Oui"}}
    - {name: "no", label: {en: "No", fr: "Non"}}
    - {name: unknown, label: {en: Unknown, fr: Inconnu}}
  lighting:
    - {name: adequate, label: {en: "Yes, there is lighting and it is adequate", fr: "Oui, suffisant"}}
    - {name: inadequate, label: {en: "Yes, there is lighting but it is not adequate", fr: "Oui, insuffisant"}}
    - {name: none, label: {en: No lighting, fr: "Pas d'éclairage"}, variants: [no light]}
    - {name: unknown, label: {en: Unknown, fr: Inconnu}}
indicators:
  - name: site_id
    code: "1.1.c.1"
    module: site
    label: {en: Site ID, fr: Identifiant du site}
    type: text
    required: true
    hxl: "#loc+code"
    class: public
    indicator_type: core
  - name: ind_total
    code: "2.1.b.2"
    module: population
    label: {en: Individuals, fr: Individus}
    type: integer
    constraint: ". >= 0"
    hxl: "#affected+idps+ind+total"
    class: public
    aggregate: sum
    indicator_type: core
  - name: lighting
    code: "10.1.s.1"
    module: gbv_risk
    label: {en: "Is there lighting in the site?", fr: "Y a-t-il un éclairage sur le site ?"}
    type: select_one lighting
    class: public
    aggregate: share_of_sites
    indicator_type: core
    risk: {domain: layout, points: {adequate: 0, inadequate: 2, none: 3}}
  - name: smc_exists
    code: "1.2.b.1"
    module: site
    label: {en: "Is there a site management committee?", fr: "Y a-t-il un comité de gestion ?"}
    type: select_one yes_no_unknown
    class: public
    aggregate: share_of_sites
    indicator_type: core
  - name: women_committee
    code: "x.1.1"
    module: gbv_risk
    label: {en: "Is there a women's committee?", fr: "Y a-t-il un comité de femmes ?"}
    type: select_one yes_no_unknown
    relevant: "${smc_exists} = 'yes'"
    class: sensitive
    aggregate: share_of_sites
    indicator_type: recommended
    risk:
      domain: participation
      points: {"yes": 0, "no": 2}
      when_not_relevant: {when: "${smc_exists} = 'no'", points: 2}
  - name: documentation
    code: "10.1.f.1"
    module: protection
    label: {en: "Do people lack documentation?", fr: "Des personnes manquent-elles de documents ?"}
    type: select_one yes_no_unknown
    class: sensitive
    aggregate: share_of_sites
    indicator_type: core
)";
}

}  // namespace opendtm::dictionary::testing

#endif  // OPENDTM_DICTIONARY_TESTING_H_
