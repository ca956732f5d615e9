import Testing

@testable import Collaboratives

/// `partitioningIndex(where:)`: the binary search the timeline, the present view, the spilling fold and the
/// import's line places share.
@Suite struct PartitioningIndexTests {
    @Test func theIndexIsThatOfTheFirstElementAfterTheKeyForEveryKeyAndLength() {
        for length in 0...9 {
            // Sorted with repeats, so that "on or before" and "after" differ at runs of equal elements.
            let sorted = (0..<length).map { $0 / 2 * 2 }
            for key in -1...(length + 1) {
                let expected = sorted.firstIndex { $0 > key } ?? sorted.endIndex
                #expect(sorted.partitioningIndex { $0 > key } == expected, "length \(length), key \(key)")
            }
        }
    }

    @Test func aSliceIsSearchedInItsOwnIndices() {
        let slice = [1, 3, 5, 7, 9, 11][2...]
        #expect(slice.partitioningIndex { $0 > 7 } == 4)
        #expect(slice.partitioningIndex { $0 > 100 } == slice.endIndex)
        #expect(slice.partitioningIndex { $0 > 0 } == slice.startIndex)
    }
}
