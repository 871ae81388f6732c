import Foundation
import Testing
@testable import CouncilIndex

@Suite struct OrderedPipelineTests {
    struct Stop: Error {}

    @Test func resultsArriveInOrderFromEveryWorker() throws {
        var seen: [Int] = []
        try OrderedPipeline.run(count: 500, workers: 4, window: 8, makeState: { 0 }, work: { calls, index -> Int in
            calls += 1
            // Uneven work, so results finish out of order.
            if index % 7 == 0 { usleep(200) }
            return index * 2
        }, consume: { index, value in
            #expect(value == index * 2)
            seen.append(index)
        })
        #expect(seen == Array(0..<500))
    }

    @Test func aThrowingConsumerStopsTheWorkers() throws {
        let claimed = Counter()
        #expect(throws: Stop.self) {
            try OrderedPipeline.run(count: 10_000, workers: 2, window: 4, makeState: { () }, work: { _, index -> Int in
                claimed.increment()
                return index
            }, consume: { index, _ in
                if index == 10 { throw Stop() }
            })
        }
        // At most the window (and one item per worker) beyond the failure.
        #expect(claimed.value <= 10 + 1 + 4 + 2)
    }

    @Test func nothingToDo() throws {
        try OrderedPipeline.run(count: 0, workers: 2, window: 4, makeState: { () }, work: { _, i in i }, consume: { _, _ in
            Issue.record("consumed an item of an empty run")
        })
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }
}
