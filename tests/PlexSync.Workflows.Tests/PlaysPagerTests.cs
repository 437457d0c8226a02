using PlexSync.Clients;

namespace PlexSync.Workflows.Tests;

public sealed class PlaysPagerTests
{
    private const long T = 1_767_312_000;
    private static readonly long Lookback = (long)PlaysCursor.Lookback.TotalSeconds;

    [Fact]
    public void Bound_IsALookbackBeforeTheLatest_NeverBeforeTheFloor()
    {
        Assert.Equal(T - Lookback, PlaysPager.Bound(new PlaysCursor { Floor = T - (10 * Lookback), HighViewedAt = T }));
        Assert.Equal(T, PlaysPager.Bound(PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(T))));
    }

    [Fact]
    public void IsFresh_BeforeTheFloorOrTakenAlready_IsNot()
    {
        var cursor = new PlaysCursor { Floor = T, HighViewedAt = T + 5, Recent = [new SeenPlay(7, T + 5, "1")] };

        Assert.False(PlaysPager.IsFresh(cursor, Row(6, T - 1)));
        Assert.False(PlaysPager.IsFresh(cursor, Row(7, T + 5)));
        Assert.True(PlaysPager.IsFresh(cursor, Row(8, T + 5)));
    }

    [Fact]
    public void Next_ShortPage_IsTheLast_AndTheNextStartsAtItsLastSecond()
    {
        Assert.Equal((false, T + 3, true), PlaysPager.Next([Row(1, T), Row(2, T + 3)], T, 5));
        Assert.Equal((false, T + 3, false), PlaysPager.Next([Row(1, T), Row(2, T + 3)], T, 2));
        Assert.Equal((false, T, true), PlaysPager.Next([], T, 2));
    }

    [Fact]
    public void Next_FullPageAllAtTheBound_ReadsThatSecondAlone_ThenTheNext()
    {
        Assert.Equal((true, T + 1, false), PlaysPager.Next([Row(1, T), Row(2, T)], T, 2));
    }

    [Fact]
    public void Take_Ordinal_CountsEarlierRowsOfTheSameSceneAndSecond()
    {
        var cursor = new PlaysCursor { Floor = T, HighViewedAt = T, HighHistoryId = 4, Recent = [new SeenPlay(4, T, "9")] };

        var (rows, _) = PlaysPager.Take(cursor, [Play(6, T, "9"), Play(5, T, "9"), Play(7, T, "8"), Play(8, T + 1, "9"), Play(9, T, "")]);

        Assert.Equal([(5L, 2), (6L, 3), (7L, 1), (9L, 1), (8L, 1)], rows.Select(r => (r.Row.HistoryId, r.Ordinal)));
    }

    [Fact]
    public void Take_MovesTheLatest_ForgetsRowsOlderThanTheLookback()
    {
        var cursor = new PlaysCursor { Floor = 0, HighViewedAt = T, HighHistoryId = 1, Recent = [new SeenPlay(1, T, "1")] };

        var (_, next) = PlaysPager.Take(cursor, [Play(2, T + Lookback + 1, "1"), Play(3, T + 10, "1")]);

        Assert.Equal((T + Lookback + 1, 2L), (next.HighViewedAt, next.HighHistoryId));
        Assert.Equal([3L, 2L], next.Recent.Select(p => p.HistoryId));
    }

    [Fact]
    public void Take_RowsOfOtherAccounts_AreRememberedButNoPlays()
    {
        var (rows, next) = PlaysPager.Take(new PlaysCursor(), [Play(1, T, "1")], [new SeenPlay(2, T + 1, "")]);

        Assert.Single(rows);
        Assert.Equal([1L, 2L], next.Recent.Select(p => p.HistoryId));
        Assert.Equal((T + 1, 2L), (next.HighViewedAt, next.HighHistoryId));
        Assert.False(PlaysPager.IsFresh(next, Row(2, T + 1)));
    }

    [Fact]
    public void Take_KeepsAtMostMaxRecent_TheNewest()
    {
        var rows = Enumerable.Range(1, PlaysCursor.MaxRecent + 10).Select(i => Play(i, T, "1")).ToList();

        var (_, next) = PlaysPager.Take(new PlaysCursor(), rows);

        Assert.Equal(PlaysCursor.MaxRecent, next.Recent.Count);
        Assert.Equal(11, next.Recent[0].HistoryId);
    }

    private static PlexHistoryRow Row(long id, long viewedAt) => new(id, viewedAt, "1", "1", "100", "1", "");

    private static PlayRow Play(long id, long viewedAt, string scene) =>
        new(id, viewedAt, "1", "100", "1", scene.Length > 0 ? new PlayMatch(scene, "path", "/x") : null);
}
