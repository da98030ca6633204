#include "core/hxl.h"

#include <gtest/gtest.h>

namespace opendtm::core {
namespace {

TEST(HxlTest, AttributeOrderCaseAndSpacesDoNotMatter) {
  EXPECT_EQ(NormalizeHxlTag("#Affected +idps +f"), "#affected+f+idps");
  EXPECT_EQ(NormalizeHxlTag(" #affected+f+idps "), NormalizeHxlTag("#affected+idps+f"));
  EXPECT_EQ(NormalizeHxlTag("#adm1+code"), "#adm1+code");
  EXPECT_NE(NormalizeHxlTag("#adm1+code"), NormalizeHxlTag("#adm1+name"));
  EXPECT_EQ(NormalizeHxlTag("#loc"), "#loc");
}

}  // namespace
}  // namespace opendtm::core
