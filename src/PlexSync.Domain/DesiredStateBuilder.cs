using System.Globalization;
using System.Text.RegularExpressions;

namespace PlexSync.Domain;

/// <summary>Turns a Stash scene into the Plex state it should have, applying the sanitising rules.</summary>
public static partial class DesiredStateBuilder
{

    /// <summary>Builds the desired state, or throws <see cref="SceneValidationException"/> naming the field at fault.</summary>
    public static DesiredState Build(Scene scene, SceneOptions options)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(options);
        if (scene.Files.Count == 0)
        {
            throw Invalid(scene, "files", "the scene has no file, so no Plex item can match it");
        }

        var fields = new Dictionary<string, string>();
        var tags = new Dictionary<string, IReadOnlyList<string>>();
        var rating = PlexFields.NoRating;
        var on = options.Fields;
        if (on.Title)
        {
            fields[PlexFields.Title] = Title(scene);
        }

        if (on.Summary)
        {
            fields[PlexFields.Summary] = Sanitizer.CleanText(scene.Details, Sanitizer.MaxSummaryLength, multiline: true);
        }

        if (on.Studio)
        {
            fields[PlexFields.Studio] = Sanitizer.CleanText(scene.Studio, Sanitizer.MaxStudioLength, multiline: false);
        }

        if (on.Date)
        {
            fields[PlexFields.Date] = PlexDate(scene);
        }

        if (on.Performers)
        {
            tags[PlexFields.Actor] = Sanitizer.CleanTags(scene.Performers);
        }

        if (on.Tags)
        {
            tags[PlexFields.Genre] = Sanitizer.CleanTags(scene.Tags);
        }

        if (on.Collections)
        {
            tags[PlexFields.Collection] = Sanitizer.CleanTags(Collections(scene, options.CollectionSources));
        }

        if (on.Rating)
        {
            rating = PlexRating(scene);
        }

        return new DesiredState
        {
            SceneId = scene.Id,
            Files = scene.Files,
            State = new PlexState { Fields = fields, Tags = tags, Rating = rating },
            ManageRating = on.Rating,
            Poster = on.Poster ? scene.Screenshot : "",
        };
    }

    private static string Title(Scene scene)
    {
        var title = Sanitizer.CleanText(scene.Title, Sanitizer.MaxTitleLength, multiline: false);
        if (title.Length == 0)
        {
            title = Sanitizer.CleanText(FileNames.WithoutExtension(scene.Files[0]), Sanitizer.MaxTitleLength, multiline: false);
        }

        return title.Length > 0 ? title : throw Invalid(scene, "title", "the title is empty and the file name gives none");
    }

    private static IEnumerable<string> Collections(Scene scene, IEnumerable<string> sources) =>
        sources.SelectMany(source => source switch
        {
            "studio" => [scene.Studio],
            "groups" => scene.Groups,
            _ => Enumerable.Empty<string>(),
        });

    // Stash allows reduced precision (YYYY-MM, YYYY); Plex stores full dates, so those become the
    // first day of the period. The rules are Go's time.Parse ones, with which Stash parses dates
    // (pkg/models/date.go): four ASCII digits of year (0000 included), two of month and day, and a
    // day that the month has.
    private static string PlexDate(Scene scene)
    {
        if (string.IsNullOrEmpty(scene.Date))
        {
            return "";
        }

        var m = DateForm().Match(scene.Date);
        if (m.Success)
        {
            var year = Number(m.Groups[1]);
            var month = m.Groups[2].Success ? Number(m.Groups[2]) : 1;
            var day = m.Groups[3].Success ? Number(m.Groups[3]) : 1;
            if (month is >= 1 and <= 12 && day >= 1 && day <= DaysIn(year, month))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}");
            }
        }

        var shown = Sanitizer.CleanText(scene.Date, 40, multiline: false);
        throw Invalid(scene, "date", $"\"{shown}\" is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)");
    }

    private static int Number(Group digits) => int.Parse(digits.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    // The proleptic Gregorian calendar, year 0 included (a leap year), as Go's time package has it.
    private static int DaysIn(int year, int month) => month switch
    {
        2 => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    [GeneratedRegex(@"\A([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DateForm();

    // Plex rates in half stars (0..10 in whole steps, as its apps set it). A whole step is stored exactly
    // however Plex keeps the number, so the next comparison finds it unchanged; a finer one might come
    // back rounded and be written again on every sync. A rated scene stays rated: at least half a star.
    private static double PlexRating(Scene scene) => scene.Rating100 switch
    {
        null => PlexFields.NoRating,
        >= 1 and <= 100 => Math.Max(1, Math.Round(scene.Rating100.Value / 10.0, MidpointRounding.AwayFromZero)),
        _ => throw Invalid(scene, "rating100", $"{scene.Rating100} is out of range (want 1..100 or no rating)"),
    };

    private static SceneValidationException Invalid(Scene scene, string field, string rule) => new(scene.Id, field, rule);
}
