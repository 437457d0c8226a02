using PlexSync.Operations;
using PlexSync.Workflows;
using Temporalio.Exceptions;

namespace PlexSync.Tests.Operations;

public sealed class FailureCauseTests
{
    [Fact]
    public void Of_ApplicationFailureWrappingAnother_GivesTheInnermostTypeAndMessage()
    {
        var inner = new ApplicationFailureException("Plex refused the token", errorType: ErrorTypes.AuthFailed);
        var outer = new ApplicationFailureException("activity failed", inner, "Wrapper");

        Assert.Equal(new FailureCause(ErrorTypes.AuthFailed, "Plex refused the token"), FailureCause.Of(outer));
    }

    [Fact]
    public void Of_PlainException_IsTypeErrorWithItsMessage()
    {
        Assert.Equal(new FailureCause(FailureCause.UnknownType, "plain"), FailureCause.Of(new InvalidOperationException("plain")));
    }

    [Fact]
    public void Of_ApplicationFailureUnderAnotherException_IsFoundThroughTheChain()
    {
        var root = new ApplicationFailureException("scene 7: \"date\" is not a date", errorType: ErrorTypes.InvalidScene);
        var chain = new InvalidOperationException("wrapper", new InvalidOperationException("middle", root));

        Assert.Equal(new FailureCause(ErrorTypes.InvalidScene, "scene 7: \"date\" is not a date"), FailureCause.Of(chain));
    }

    [Fact]
    public void Of_ApplicationFailureWithoutType_IsTypeError()
    {
        Assert.Equal(FailureCause.UnknownType, FailureCause.Of(new ApplicationFailureException("no type")).ErrorType);
    }
}

public sealed class FailureHintsTests
{
    [Fact]
    public void For_EveryErrorType_HasAHintOfItsOwn()
    {
        var types = typeof(ErrorTypes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.True(FailureHints.Knows(t), $"no hint for {t}"));
    }

    [Fact]
    public void For_UnknownType_PointsAtTheLogAndRetry()
    {
        Assert.Contains("plexsync retry", FailureHints.For("SomethingNew"), StringComparison.Ordinal);
    }
}
