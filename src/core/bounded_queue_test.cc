#include "core/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace opendtm::core {
namespace {

TEST(BoundedQueueTest, ItemsComeOutInOrderAcrossThreads) {
  BoundedQueue<int> queue(3);
  std::thread producer([&queue] {
    for (int value = 0; value < 10000; ++value) ASSERT_TRUE(queue.Push(value));
    queue.Close();
  });
  std::vector<int> taken;
  while (std::optional<int> value = queue.Pop()) taken.push_back(*value);
  producer.join();
  ASSERT_EQ(taken.size(), 10000u);
  for (int value = 0; value < 10000; ++value) EXPECT_EQ(taken[value], value);
}

TEST(BoundedQueueTest, ProducerWaitsWhenFull) {
  BoundedQueue<int> queue(2);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int value = 0; value < 5; ++value) {
      if (!queue.Push(value)) return;
      ++pushed;
    }
  });
  // Until something is taken, at most `capacity` items get in.
  while (pushed.load() < 2) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(pushed.load(), 2);
  EXPECT_EQ(queue.Pop(), 0);
  while (pushed.load() < 3) std::this_thread::yield();
  queue.Close();
  producer.join();
  EXPECT_EQ(pushed.load(), 3);
}

TEST(BoundedQueueTest, ClosingWakesAWaitingProducerAndPushFails) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.Push(1));
  std::atomic<bool> result{true};
  std::thread producer([&] { result = queue.Push(2); });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  queue.Close();
  producer.join();
  EXPECT_FALSE(result.load());
  EXPECT_FALSE(queue.Push(3));
  // What was queued before the close is still there; then the end.
  EXPECT_EQ(queue.Pop(), 1);
  EXPECT_EQ(queue.Pop(), std::nullopt);
  queue.Close();  // idempotent
}

TEST(BoundedQueueTest, ClosingWakesAWaitingConsumer) {
  BoundedQueue<int> queue(4);
  std::optional<int> taken = 7;
  std::thread consumer([&] { taken = queue.Pop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  queue.Close();
  consumer.join();
  EXPECT_EQ(taken, std::nullopt);
}

TEST(BoundedQueueTest, TryPopNeverWaits) {
  BoundedQueue<int> queue(2);
  EXPECT_EQ(queue.TryPop(), std::nullopt);
  ASSERT_TRUE(queue.Push(4));
  EXPECT_EQ(queue.TryPop(), 4);
  EXPECT_EQ(queue.TryPop(), std::nullopt);
}

}  // namespace
}  // namespace opendtm::core
