import Foundation

/// A value handed from one thread to another, which the sender no longer
/// touches: Xapian documents built by a worker and written by the writer.
/// (Xapian's handles are not thread-safe, but may move between threads
/// when one thread at a time uses them.)
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Work on several threads whose results are consumed in order on the
/// calling thread as soon as each is ready: papers read, parsed and turned
/// into documents on every core, feeding one writer.
///
/// At most `window` results are claimed ahead of the one being consumed,
/// which bounds memory whatever the number of items.
enum OrderedPipeline {
    /// Run `work` for each index in `0..<count` on `workers` threads, each
    /// with its own state from `makeState`, and call `consume` with the
    /// results in index order. When `consume` throws, the workers stop
    /// after their current item and the error is rethrown.
    static func run<State, Result: Sendable>(count: Int, workers: Int, window: Int,
                                             makeState: @escaping @Sendable () -> State,
                                             work: @escaping @Sendable (inout State, Int) -> Result,
                                             consume: (Int, Result) throws -> Void) throws {
        guard count > 0 else { return }
        let queue = Queue<Result>(window: max(1, window))
        let threads = max(1, min(workers, count))
        for _ in 0..<threads {
            let thread = Thread {
                var state = makeState()
                while let index = queue.claim(below: count) {
                    queue.put(index, work(&state, index))
                }
                queue.finishWorker()
            }
            // Parsing recurses on nested structures: the main thread's size.
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer { queue.stopAndWait(workers: threads) }
        for index in 0..<count {
            try consume(index, queue.take(index))
        }
    }

    /// The shared state: claimed indexes, finished results, stop flag.
    private final class Queue<Result>: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Int: Result] = [:]
        private var nextToClaim = 0
        private var consumed = 0
        private var stopped = false
        private var finishedWorkers = 0
        private let window: Int

        init(window: Int) { self.window = window }

        /// The next index to work on, or nil when all are claimed or the
        /// run stopped; waits while the window is full.
        func claim(below count: Int) -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while !stopped && nextToClaim < count && nextToClaim - consumed >= window { condition.wait() }
            guard !stopped, nextToClaim < count else { return nil }
            nextToClaim += 1
            return nextToClaim - 1
        }

        func put(_ index: Int, _ result: Result) {
            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }

        /// The result for `index`, waiting for it.
        func take(_ index: Int) -> Result {
            condition.lock()
            defer { condition.unlock() }
            while results[index] == nil { condition.wait() }
            consumed = index + 1
            condition.broadcast()
            return results.removeValue(forKey: index)!
        }

        func finishWorker() {
            condition.lock()
            finishedWorkers += 1
            condition.broadcast()
            condition.unlock()
        }

        /// Stop claiming and wait until every worker has left.
        func stopAndWait(workers: Int) {
            condition.lock()
            stopped = true
            condition.broadcast()
            while finishedWorkers < workers { condition.wait() }
            results.removeAll()
            condition.unlock()
        }
    }
}
