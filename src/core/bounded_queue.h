// BoundedQueue: hands items from one producing thread to one consuming thread
// through a queue of at most `capacity` items, so that a fast producer waits
// instead of filling memory. Either side can close it: the producer when it has
// nothing more to give, the consumer when it stops early (an error), after
// which Push returns false and the producer should stop.
//
//   BoundedQueue<Block> queue(8);
//   std::thread producer([&] { while (...) if (!queue.Push(Make())) break; queue.Close(); });
//   while (std::optional<Block> block = queue.Pop()) Use(*block);
//   producer.join();
//
// Thread-safety: Push, Pop and Close may be called from any thread.
#ifndef OPENDTM_CORE_BOUNDED_QUEUE_H_
#define OPENDTM_CORE_BOUNDED_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace opendtm::core {

template <typename T>
class BoundedQueue {
 public:
  // `capacity` of 0 is taken as 1.
  explicit BoundedQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Waits for room, then appends `item`. Returns false, dropping the item,
  // when the queue is closed (before or while waiting).
  bool Push(T item) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    ready_.notify_one();
    return true;
  }

  // Waits for an item and takes it. Returns nullopt once the queue is closed
  // and every item pushed before has been taken.
  std::optional<T> Pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    room_.notify_one();
    return item;
  }

  // Takes an item if one is queued, without waiting.
  std::optional<T> TryPop() {
    std::lock_guard lock(mutex_);
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    room_.notify_one();
    return item;
  }

  // No more pushes: waiting and later Push calls return false; Pop drains what
  // is queued, then returns nullopt. Idempotent.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
    room_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable room_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_BOUNDED_QUEUE_H_
