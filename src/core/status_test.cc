#include "core/status.h"

#include <gtest/gtest.h>

namespace opendtm {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) return InvalidArgumentError("odd: " + std::to_string(value));
  return value / 2;
}

Result<int> Quarter(int value) {
  ASSIGN_OR_RETURN(int half, Half(value));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int value) {
  RETURN_IF_ERROR(Half(value));
  return Status::Ok();
}

TEST(StatusTest, OkByDefault) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.ToString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status status = NotFoundError("no such file: x.yaml");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.ToString(), "not_found: no such file: x.yaml");
  EXPECT_EQ(status.WithContext("loading").message(), "loading: no such file: x.yaml");
  EXPECT_TRUE(Status().WithContext("loading").ok());
}

TEST(StatusTest, ExitCodesFollowConventions) {
  EXPECT_EQ(ExitCodeFor(Status()), 0);
  EXPECT_EQ(ExitCodeFor(InvalidArgumentError("x")), 2);
  EXPECT_GE(ExitCodeFor(NotFoundError("x")), 3);
  EXPECT_GE(ExitCodeFor(InternalError("x")), 3);
  // A refused read is an answer, like findings.
  EXPECT_EQ(ExitCodeFor(PermissionDeniedError("x")), 1);
  EXPECT_EQ(StatusCodeName(StatusCode::kPermissionDenied), "permission_denied");
}

TEST(ResultTest, ValueAndErrorPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().message(), "odd: 3");
  EXPECT_EQ(odd.value_or(-1), -1);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(5).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opendtm
