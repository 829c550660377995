@testable import MLPCore
import Testing

@Suite("Stratification")
struct StratificationTests {
    @Test("largest-remainder shares sum to the total and follow the sizes")
    func apportion() {
        #expect(Stratification.apportion(10, among: [80, 20]) == [8, 2])
        // 7 of 3+3+4: exact shares 2.1, 2.1, 2.8; the leftover unit goes to the largest remainder.
        #expect(Stratification.apportion(7, among: [3, 3, 4]) == [2, 2, 3])
        // Equal remainders: the lower group first.
        #expect(Stratification.apportion(1, among: [2, 2]) == [1, 0])
        #expect(Stratification.apportion(0, among: [5, 5]) == [0, 0])
        #expect(Stratification.apportion(3, among: [0, 0]) == [0, 0])
        for total in 0...30 {
            let sizes = [7, 0, 13, 10]
            let shares = Stratification.apportion(total, among: sizes)
            #expect(shares.reduce(0, +) == total)
            #expect(zip(shares, sizes).allSatisfy { $0 <= $1 })
            for (share, size) in zip(shares, sizes) {
                #expect(abs(Double(share) - Double(size * total) / 30) < 1, "total \(total)")
            }
        }
    }

    @Test("groups keep the sample order within each class, and shuffles are seeded")
    func groupsAndShuffles() {
        let labels = [2, 0, 2, 1, 0]
        let groups = Stratification.groups(of: labels.indices, label: { labels[$0] })
        #expect(groups == [[1, 4], [3], [0, 2]])
        var first = SeededGenerator(seed: 4), second = SeededGenerator(seed: 4)
        let shuffled = Stratification.shuffled([Array(0..<20), Array(20..<30)], using: &first)
        #expect(shuffled == Stratification.shuffled([Array(0..<20), Array(20..<30)], using: &second))
        #expect(shuffled[0].sorted() == Array(0..<20) && shuffled[1].sorted() == Array(20..<30))
        #expect(shuffled[0] != Array(0..<20))
    }
}
