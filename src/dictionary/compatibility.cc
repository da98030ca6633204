#include "dictionary/compatibility.h"

#include <algorithm>

namespace opendtm::dictionary {
namespace {

class ChangeList {
 public:
  void Breaking(std::string message, SourceLocation location) {
    breaking_.push_back({true, std::move(message), std::move(location)});
  }
  void Addition(std::string message, SourceLocation location) {
    additions_.push_back({false, std::move(message), std::move(location)});
  }
  bool empty() const { return breaking_.empty() && additions_.empty(); }
  std::vector<DictionaryChange> Take() {
    std::vector<DictionaryChange> all = std::move(breaking_);
    all.insert(all.end(), additions_.begin(), additions_.end());
    return all;
  }

 private:
  std::vector<DictionaryChange> breaking_;
  std::vector<DictionaryChange> additions_;
};

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

void CompareChoiceLists(const Dictionary& previous, const Dictionary& next, ChangeList& changes) {
  for (const ChoiceList& old_list : previous.choice_lists()) {
    const ChoiceList* new_list = next.FindList(old_list.name);
    if (new_list == nullptr) {
      changes.Breaking("removed choice list " + old_list.name, old_list.location);
      continue;
    }
    for (const Choice& old_choice : old_list.choices) {
      const Choice* new_choice = new_list->Find(old_choice.name);
      std::string subject = old_list.name + "/" + old_choice.name;
      if (new_choice == nullptr) {
        changes.Breaking("removed choice " + subject, old_choice.location);
        continue;
      }
      std::string_view old_label = TextIn(old_choice.label, "en");
      std::string_view new_label = TextIn(new_choice->label, "en");
      if (old_label != new_label) {
        changes.Breaking("changed meaning of choice " + subject + ": English label " +
                             Quoted(old_label) + " -> " + Quoted(new_label),
                         new_choice->location);
      } else if (old_choice.label != new_choice->label) {
        changes.Addition("changed translation of choice " + subject, new_choice->location);
      }
    }
    for (const Choice& new_choice : new_list->choices) {
      if (old_list.Find(new_choice.name) == nullptr) {
        changes.Addition("added choice " + old_list.name + "/" + new_choice.name,
                         new_choice.location);
      }
    }
  }
  for (const ChoiceList& new_list : next.choice_lists()) {
    if (previous.FindList(new_list.name) == nullptr) {
      changes.Addition("added choice list " + new_list.name, new_list.location);
    }
  }
}

void CompareIndicator(const Indicator& old_one, const Indicator& new_one, ChangeList& changes) {
  std::string subject = "indicator " + old_one.name;
  auto breaking = [&](std::string_view what, std::string_view before, std::string_view after) {
    changes.Breaking("changed " + std::string(what) + " of " + subject + ": " +
                         std::string(before) + " -> " + std::string(after),
                     new_one.location);
  };
  auto edit = [&](std::string_view what) {
    changes.Addition("changed " + std::string(what) + " of " + subject, new_one.location);
  };
  if (old_one.type != new_one.type || old_one.pcode_level != new_one.pcode_level) {
    breaking("type", old_one.TypeString(), new_one.TypeString());
  } else if (old_one.list_name != new_one.list_name) {
    breaking("choice list", old_one.list_name, new_one.list_name);
  }
  if (old_one.code != new_one.code) breaking("DTM code", old_one.code, new_one.code);
  if (old_one.module != new_one.module) {
    breaking("module", ModuleName(old_one.module), ModuleName(new_one.module));
  }
  if (TextIn(old_one.label, "en") != TextIn(new_one.label, "en")) {
    edit("English question");
  } else if (old_one.label != new_one.label) {
    edit("translation");
  }
  if (old_one.dissemination_class != new_one.dissemination_class) {
    edit("class (" + std::string(ClassName(old_one.dissemination_class)) + " -> " +
         std::string(ClassName(new_one.dissemination_class)) + ")");
  }
  if (old_one.hxl != new_one.hxl) edit("HXL tag");
  if (old_one.relevant != new_one.relevant) edit("relevant");
  if (old_one.constraint != new_one.constraint) edit("constraint");
  if (old_one.aggregate != new_one.aggregate) edit("aggregate");
  bool old_scored = old_one.risk.has_value();
  bool new_scored = new_one.risk.has_value();
  if (old_scored != new_scored ||
      (old_scored && (old_one.risk->points != new_one.risk->points ||
                      old_one.risk->domain != new_one.risk->domain ||
                      old_one.risk->cap != new_one.risk->cap ||
                      old_one.risk->ranges.size() != new_one.risk->ranges.size()))) {
    edit("risk points");
  }
}

}  // namespace

std::vector<DictionaryChange> CompareDictionaries(const Dictionary& previous,
                                                  const Dictionary& next) {
  ChangeList changes;
  for (const Indicator& old_one : previous.indicators()) {
    const Indicator* new_one = next.FindIndicator(old_one.name);
    if (new_one == nullptr) {
      changes.Breaking("removed indicator " + old_one.name, old_one.location);
    } else {
      CompareIndicator(old_one, *new_one, changes);
    }
  }
  for (const Indicator& new_one : next.indicators()) {
    if (previous.FindIndicator(new_one.name) == nullptr) {
      changes.Addition("added indicator " + new_one.name, new_one.location);
    }
  }
  CompareChoiceLists(previous, next, changes);
  if (!changes.empty() && CompareVersions(next.version(), previous.version()) <= 0) {
    changes.Breaking("version " + next.version() + " is not greater than the previous version " +
                         previous.version() + " although the dictionary changed",
                     {next.source_file(), 1});
  }
  return changes.Take();
}

bool HasBreakingChange(const std::vector<DictionaryChange>& changes) {
  return std::any_of(changes.begin(), changes.end(),
                     [](const DictionaryChange& change) { return change.breaking; });
}

}  // namespace opendtm::dictionary
