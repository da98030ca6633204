// WriteXForm: writes a Form as an ODK XForm, the XML that ODK Collect, Enketo
// and ODK Web Forms run, shaped like pyxform's output for the same XLSForm.
//
// The document:
//   h:html / h:head / h:title             the form title
//            h:head / model
//              itext                      one translation per language, named as
//                                         in the XLSForm columns ("English (en)");
//                                         the default language has default="true()"
//              instance                   <data id=FORM_ID version=VERSION>: one node
//                                         per question, groups nested, hxl and
//                                         dtm_code as attributes (pyxform's
//                                         instance:: columns), <meta><instanceID/>
//              instance id=LIST           one per choice list: root/item with name,
//                                         itextId (or label when the label is the
//                                         same in every language) and filter columns
//              bind                       per node: type, required, relevant,
//                                         constraint, jr:constraintMsg, calculate,
//                                         readonly, jr:preload
//          h:body                          groups, input / select1 / select with
//                                         itemsets (choice_filter as a predicate)
// XLSForm expressions become XPath by replacing each `${name}` with the
// absolute path of that question (/data/gbv_risk/smc_exists); `${name}` in a
// label becomes <output value="/data/…"/>.
//
// Thread-safety: a pure function.
#ifndef OPENDTM_FORMS_XFORM_WRITER_H_
#define OPENDTM_FORMS_XFORM_WRITER_H_

#include <string>

#include "core/status.h"
#include "forms/form.h"

namespace opendtm::forms {

// The XForm XML (UTF-8). Errors: InvalidArgument naming the row for an
// unknown question type, a name that is not an XML name or is used twice, an
// unbalanced begin_group/end_group, a select whose list has no choices, a
// question without a label, a `${name}` naming no question, or a form without
// form_id or languages.
Result<std::string> WriteXForm(const Form& form);

}  // namespace opendtm::forms

#endif  // OPENDTM_FORMS_XFORM_WRITER_H_
