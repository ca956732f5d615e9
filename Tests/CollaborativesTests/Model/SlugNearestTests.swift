import Testing

@testable import Collaboratives

/// `Slug.nearest(among:)`: the "did you mean" of errors that name a slug that does not exist.
@Suite struct SlugNearestTests {
    private let known = ["oldham", "rochdale", "east-sussex", "ol-17", "ol-71", "ol-02"].map(slug)

    @Test func aSlugOneOrTwoEditsAwayIsSuggested() {
        #expect(slug("oldam").nearest(among: known) == slug("oldham"))
        #expect(slug("rochdael").nearest(among: known) == slug("rochdale"))
        #expect(slug("east-susex").nearest(among: known) == slug("east-sussex"))
    }

    @Test func aSlugThreeEditsAwayIsNotSuggested() {
        #expect(slug("wigan").nearest(among: known) == nil)
        #expect(slug("bury").nearest(among: known) == nil)
        #expect(slug("oh").nearest(among: known) == nil)
    }

    @Test func theNearestWinsAndTiesGoToTheFirstInOrder() {
        #expect(slug("ol-177").nearest(among: known) == slug("ol-17"))
        // ol-711 is one deletion from ol-71 and two edits from ol-17.
        #expect(slug("ol-711").nearest(among: known) == slug("ol-71"))
        // ol-12 is one substitution from ol-02 and from ol-17: ol-02 sorts first, whatever the order given.
        #expect(slug("ol-12").nearest(among: known.reversed()) == slug("ol-02"))
    }

    @Test func aKnownSlugIsNotSuggestedForItself() {
        #expect(slug("oldham").nearest(among: [slug("oldham")]) == nil)
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(Slug.editDistance("kitten", "sitting", limit: 5) == 3)
        #expect(Slug.editDistance("", "abc", limit: 5) == 3)
        #expect(Slug.editDistance("same", "same", limit: 0) == 0)
        #expect(Slug.editDistance("abcdef", "uvwxyz", limit: 2) > 2)
    }
}
