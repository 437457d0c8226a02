namespace PlexSync.Operations;

/// <summary>Who polls a task queue: a worker that polled within the last few minutes is listed by the server.</summary>
internal sealed record QueueStatus(string TaskQueue, string Kind, int Pollers, DateTime? LastPoll);
