using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQLParser.AST;

namespace PlexSync.Simulators;

/// <summary>
/// The part of Stash's GraphQL schema that PlexSync reads, with the type names, arguments and nullability of
/// stashapp/stash graphql/schema/schema.graphql and types/{scene,file,filters,studio,performer,tag,group,stash-box}.graphql,
/// so that a query the real server would reject fails here too. Fields we never read are left out;
/// SceneFilterType keeps only the criteria the simulator evaluates. The play mutations are those of
/// schema.graphql, their result HistoryMutationResult that of types/scene.graphql.
/// </summary>
internal static class StashSchema
{
    private const string Sdl = """
        scalar Time
        scalar Timestamp
        scalar Int64
        enum SortDirectionEnum { ASC DESC }
        enum CriterionModifier {
          EQUALS NOT_EQUALS GREATER_THAN LESS_THAN IS_NULL NOT_NULL INCLUDES_ALL INCLUDES EXCLUDES
          MATCHES_REGEX NOT_MATCHES_REGEX BETWEEN NOT_BETWEEN
        }
        input FindFilterType { q: String page: Int per_page: Int sort: String direction: SortDirectionEnum }
        input TimestampCriterionInput { value: String! value2: String modifier: CriterionModifier! }
        input MultiCriterionInput { value: [ID!] modifier: CriterionModifier! excludes: [ID!] }
        input HierarchicalMultiCriterionInput { value: [ID!] modifier: CriterionModifier! depth: Int excludes: [ID!] }
        input StringCriterionInput { value: String! modifier: CriterionModifier! }
        input SceneFilterType {
          organized: Boolean
          is_missing: String
          studios: HierarchicalMultiCriterionInput
          groups: HierarchicalMultiCriterionInput
          tags: HierarchicalMultiCriterionInput
          performers: MultiCriterionInput
          created_at: TimestampCriterionInput
          updated_at: TimestampCriterionInput
          path: StringCriterionInput
        }
        type Query {
          findScene(id: ID, checksum: String): Scene
          findScenes(scene_filter: SceneFilterType, scene_ids: [Int!], ids: [ID!], filter: FindFilterType): FindScenesResultType!
        }
        type Mutation {
          sceneAddPlay(id: ID!, times: [Timestamp!]): HistoryMutationResult!
          sceneDeletePlay(id: ID!, times: [Timestamp!]): HistoryMutationResult!
          sceneSaveActivity(id: ID!, resume_time: Float, playDuration: Float): Boolean!
        }
        type HistoryMutationResult { count: Int! history: [Time!]! }
        type FindScenesResultType { count: Int! duration: Float! filesize: Float! scenes: [Scene!]! }
        type Studio { id: ID! name: String! urls: [String!]! parent_studio: Studio child_studios: [Studio!]! }
        type Performer { id: ID! name: String! disambiguation: String urls: [String!] }
        type Tag { id: ID! name: String! sort_name: String description: String aliases: [String!]! }
        type Group { id: ID! name: String! aliases: String duration: Int date: String }
        type SceneGroup { group: Group! scene_index: Int }
        type StashID { endpoint: String! stash_id: String! updated_at: Time! }
        type Fingerprint { type: String! value: String! }
        type VideoFile {
          id: ID! path: String! basename: String! mod_time: Time! size: Int64!
          fingerprint(type: String!): String fingerprints: [Fingerprint!]!
          format: String! width: Int! height: Int! duration: Float! video_codec: String! audio_codec: String!
          frame_rate: Float! bit_rate: Int! created_at: Time! updated_at: Time!
        }
        type ScenePathsType {
          screenshot: String preview: String stream: String webp: String vtt: String sprite: String
          funscript: String interactive_heatmap: String caption: String
        }
        type Scene {
          id: ID! title: String code: String details: String director: String
          url: String @deprecated(reason: "Use urls")
          urls: [String!]! date: String rating100: Int organized: Boolean! o_counter: Int interactive: Boolean!
          created_at: Time! updated_at: Time!
          files: [VideoFile!]! paths: ScenePathsType! studio: Studio groups: [SceneGroup!]!
          tags: [Tag!]! performers: [Performer!]! stash_ids: [StashID!]!
          last_played_at: Time resume_time: Float play_duration: Float play_count: Int play_history: [Time!]!
        }
        """;

    public static ISchema Build(
        Func<IResolveFieldContext, object?> findScene,
        Func<IResolveFieldContext, object?> findScenes,
        IReadOnlyDictionary<string, Func<IResolveFieldContext, object?>> mutations)
    {
        var schema = Schema.For(Sdl, builder =>
        {
            // Our values are dictionaries keyed by field name; the default resolver reads CLR properties.
            foreach (var type in GraphQLParser.Parser.Parse(Sdl).Definitions.OfType<GraphQLObjectTypeDefinition>())
            {
                foreach (var field in type.Fields?.Items ?? [])
                {
                    var name = field.Name.StringValue;
                    builder.Types.For(type.Name.StringValue).FieldFor(name).Resolver = new FuncFieldResolver<object>(c => Lookup(c, name));
                }
            }

            var query = builder.Types.For("Query");
            query.FieldFor("findScene").Resolver = new FuncFieldResolver<object>(findScene);
            query.FieldFor("findScenes").Resolver = new FuncFieldResolver<object>(findScenes);
            builder.Types.For("VideoFile").FieldFor("fingerprint").Resolver = new FuncFieldResolver<object>(Fingerprint);
            foreach (var (name, resolve) in mutations)
            {
                builder.Types.For("Mutation").FieldFor(name).Resolver = new FuncFieldResolver<object>(resolve);
            }
        });

        // Stash's Time (RFC3339 text), Timestamp (an input the resolvers parse as Stash does) and Int64 scalars;
        // the SDL alone leaves them unresolved.
        schema.RegisterType(new StringGraphType { Name = "Time" });
        schema.RegisterType(new StringGraphType { Name = "Timestamp" });
        schema.RegisterType(new LongGraphType { Name = "Int64" });
        schema.Initialize();
        return schema;
    }

    private static object? Lookup(IResolveFieldContext context, string name) =>
        context.Source is IDictionary<string, object?> values && values.TryGetValue(name, out var value) ? value : null;

    private static object? Fingerprint(IResolveFieldContext context)
    {
        var type = context.GetArgument<string>("type");
        var file = (IDictionary<string, object?>)context.Source!;
        var list = (IEnumerable<IDictionary<string, object?>>)file["fingerprints"]!;
        return list.FirstOrDefault(f => Equals(f["type"], type))?["value"];
    }
}
