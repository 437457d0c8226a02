namespace PlexSync.Simulators;

/// <summary>One entry of an item's poster list.</summary>
/// <param name="RatingKey">upload://posters/&lt;sha1 hex of the bytes&gt; for an upload.</param>
/// <param name="Selected">Whether the item uses it.</param>
public sealed record LibraryPoster(string RatingKey, bool Selected);
