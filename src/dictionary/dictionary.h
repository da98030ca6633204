// Dictionary: a loaded, checked data dictionary (the default one, or the
// default one extended by an operation's file).
//
// Invariants once loaded (the loader enforces them): indicator names are unique
// and well formed; every select refers to an existing list; every choice named
// in a risk mapping exists; every expression compiles and refers to existing
// indicators; every label has English text.
//
// Thread-safety: immutable after loading; safe to share between threads.
#ifndef OPENDTM_DICTIONARY_DICTIONARY_H_
#define OPENDTM_DICTIONARY_DICTIONARY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dictionary/indicator.h"

namespace opendtm::dictionary {

class Dictionary {
 public:
  Dictionary() = default;

  // Date-based version, "2026.11.1" (an operation's file may add a suffix).
  const std::string& version() const { return version_; }
  // The file this dictionary was loaded from (the operation's file for an
  // extension), "" when built in memory.
  const std::string& source_file() const { return source_file_; }
  // The operation that extended the default dictionary, "" for the default one.
  const std::string& operation() const { return operation_; }

  // In file order: the order of forms and codebooks.
  const std::vector<ChoiceList>& choice_lists() const { return choice_lists_; }
  const std::vector<Indicator>& indicators() const { return indicators_; }

  // nullptr when absent.
  const Indicator* FindIndicator(std::string_view name) const;
  // The position of indicator `name` in indicators() (how rows of values are
  // indexed), -1 when absent.
  int IndexOf(std::string_view name) const;
  const ChoiceList* FindList(std::string_view name) const;
  // The list of a select indicator; nullptr for other types.
  const ChoiceList* ListOf(const Indicator& indicator) const;

  // Language codes with at least one label, "en" first, then in order fr, es,
  // ar, then any other alphabetically.
  std::vector<std::string> Languages() const;

  // Indicators of `module`, in dictionary order.
  std::vector<const Indicator*> IndicatorsIn(Module module) const;
  // Indicators that carry a risk mapping (the scored GBV items).
  std::vector<const Indicator*> ScoredIndicators() const;

  // The operation's own risk bands (`risk_bands:`), nullopt for the defaults.
  const std::optional<RiskBandThresholds>& risk_bands() const { return risk_bands_; }

  // Builders, used by the loader and by tests that need a small dictionary.
  void set_version(std::string version) { version_ = std::move(version); }
  void set_source_file(std::string file) { source_file_ = std::move(file); }
  void set_operation(std::string operation) { operation_ = std::move(operation); }
  void set_risk_bands(RiskBandThresholds bands) { risk_bands_ = bands; }
  void AddChoiceList(ChoiceList list) { choice_lists_.push_back(std::move(list)); }
  void AddIndicator(Indicator indicator) { indicators_.push_back(std::move(indicator)); }
  // Mutable access for the loader's merging of an extension (adds choices).
  ChoiceList* MutableList(std::string_view name);

 private:
  std::string version_;
  std::string source_file_;
  std::string operation_;
  std::vector<ChoiceList> choice_lists_;
  std::vector<Indicator> indicators_;
  std::optional<RiskBandThresholds> risk_bands_;
};

// Compares two dotted versions ("2026.11.1" < "2026.11.10"); each part compared
// numerically when both are numbers, else as text. Returns <0, 0 or >0.
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_DICTIONARY_H_
