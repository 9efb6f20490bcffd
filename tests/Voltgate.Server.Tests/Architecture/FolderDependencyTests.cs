using System.Reflection;
using System.Reflection.Emit;
using Voltgate.Server.Hosting;

namespace Voltgate.Server.Tests.Architecture;

/// <summary>
/// Folders (namespaces) of Server and Core depend on each other in one direction only: a cycle means neither side
/// can be understood, changed or moved without the other. Dependencies are read from the compiled types — base
/// types, interfaces, fields, signatures and every type or member a method body refers to.
/// </summary>
public sealed class FolderDependencyTests
{
    /// <summary>
    /// Edges that close a cycle today and are tolerated until their folders are untangled; remove an entry when its
    /// edge goes, never add one. A "*" target tolerates every edge out of the folder.
    /// </summary>
    private static readonly HashSet<(string From, string To)> Tolerated =
    [
        // The EF model names every feature's entities, and every feature queries through the DbContext.
        ("Voltgate.Core.Data", "*"),

        // Core's cross-cutting folders still know the features and each other.
        ("Voltgate.Core.Access", "Voltgate.Core.IdTags"),
        ("Voltgate.Core.Access", "Voltgate.Core.Stations"),
        ("Voltgate.Core.Audit", "Voltgate.Core.Access"),
        ("Voltgate.Core.Audit", "Voltgate.Core.Tenancy"),
        ("Voltgate.Core.Tenancy", "Voltgate.Core.Access"),
        ("Voltgate.Core.Tenancy", "Voltgate.Core.Audit"),
        ("Voltgate.Core.Tenancy", "Voltgate.Core.OcppSecurity"),
        ("Voltgate.Core.Stations", "Voltgate.Core.OcppSecurity"),

        // The dispatcher's registration lists the 1.6 and 2.0.1 handlers, which implement its contracts.
        ("Voltgate.Core.OcppHandlers", "Voltgate.Core.OcppHandlers.V16"),
        ("Voltgate.Core.OcppHandlers", "Voltgate.Core.OcppHandlers.V201"),
    ];

    [Theory]
    [InlineData("Voltgate.Server")]
    [InlineData("Voltgate.Core")]
    public void No_folder_depends_on_a_folder_that_depends_back_on_it(string assemblyName)
    {
        var assembly = typeof(VoltgateHost).Assembly.GetName().Name == assemblyName
            ? typeof(VoltgateHost).Assembly
            : Assembly.Load(assemblyName);
        var graph = FolderGraph.Of(assembly);

        var cycles = graph.Cycles((from, to) => Tolerated.Contains((from, to)) || Tolerated.Contains((from, "*")));

        Assert.True(cycles.Count == 0, "Folder cycles:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_web_ui_and_the_api_are_siblings_over_core()
    {
        var graph = FolderGraph.Of(typeof(VoltgateHost).Assembly);

        var uses = graph.Folders.Where(f => f.StartsWith("Voltgate.Server.Components", StringComparison.Ordinal))
            .SelectMany(f => graph.DependenciesOf(f).Where(IsApi).Select(to => f + " -> " + to))
            .Concat(graph.Folders.Where(IsApi)
                .SelectMany(f => graph.DependenciesOf(f).Where(t => t.StartsWith("Voltgate.Server.Components", StringComparison.Ordinal)).Select(to => f + " -> " + to)))
            .ToList();

        Assert.True(uses.Count == 0, "Pages and endpoints must share Core services, not each other:\n" + string.Join("\n", uses));

        static bool IsApi(string folder) => folder == "Voltgate.Server.Api";
    }

    [Fact]
    public void The_check_sees_a_dependency_made_only_inside_a_method_body()
    {
        var graph = FolderGraph.Of(typeof(VoltgateHost).Assembly);

        // The host wires the front door up only in method bodies (service registration, the request pipeline).
        Assert.Contains("Voltgate.Server.Ocpp.FrontDoor", graph.DependenciesOf("Voltgate.Server.Hosting"));
    }
}

/// <summary>Which namespace of one assembly uses which other namespace of the same assembly.</summary>
internal sealed class FolderGraph
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private readonly string _root;
    private readonly Dictionary<string, HashSet<string>> _edges = [];

    private FolderGraph(string root) => _root = root;

    public static FolderGraph Of(Assembly assembly)
    {
        var graph = new FolderGraph(assembly.GetName().Name!);
        foreach (var type in assembly.GetTypes())
        {
            graph.AddType(type);
        }

        return graph;
    }

    public IEnumerable<string> Folders => _edges.Keys;

    public IReadOnlySet<string> DependenciesOf(string folder) => _edges.GetValueOrDefault(folder) ?? [];

    /// <summary>Each cycle once, as "A -> B -> A", ignoring the tolerated edges.</summary>
    public IReadOnlyList<string> Cycles(Func<string, string, bool> tolerated)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (from, targets) in _edges)
        {
            foreach (var to in targets.Where(t => !tolerated(from, t)))
            {
                if (PathBack(to, from, tolerated) is { } back)
                {
                    var cycle = new List<string> { from };
                    cycle.AddRange(back);
                    // Rotate so that the same cycle found from another folder reads the same.
                    var ring = cycle.Take(cycle.Count - 1).ToList();
                    var start = ring.IndexOf(ring.Min(StringComparer.Ordinal)!);
                    var rotated = ring.Skip(start).Concat(ring.Take(start)).Append(ring[start]);
                    found.Add(string.Join(" -> ", rotated));
                }
            }
        }

        return [.. found];
    }

    /// <summary>The shortest path from <paramref name="from"/> to <paramref name="to"/>, both included; null when there is none.</summary>
    private List<string>? PathBack(string from, string to, Func<string, string, bool> tolerated)
    {
        var previous = new Dictionary<string, string> { [from] = from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var at))
        {
            if (at == to)
            {
                var path = new List<string> { at };
                while (path[^1] != from)
                {
                    path.Add(previous[path[^1]]);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in DependenciesOf(at).Where(n => !tolerated(at, n) && !previous.ContainsKey(n)))
            {
                previous[next] = at;
                queue.Enqueue(next);
            }
        }

        return null;
    }

    private void AddType(Type type)
    {
        if (FolderOf(type) is not { } folder)
        {
            return;
        }

        Use(folder, type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Use(folder, i);
        }

        foreach (var field in type.GetFields(Declared))
        {
            Use(folder, field.FieldType);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Use(folder, property.PropertyType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo m)
            {
                Use(folder, m.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Use(folder, parameter.ParameterType);
            }

            UseBody(folder, method);
        }
    }

    /// <summary>Every type, field and method token in the IL, resolved to the type that declares it.</summary>
    private void UseBody(string folder, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body?.GetILAsByteArray() is not { } il)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            Use(folder, local.LocalType);
        }

        foreach (var clause in body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause))
        {
            Use(folder, clause.CatchType);
        }

        var module = method.Module;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            var code = OpCodesByValue[value];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineField or OperandType.InlineMethod:
                    var token = BitConverter.ToInt32(il, at);
                    try
                    {
                        var member = module.ResolveMember(token, typeArgs, methodArgs);
                        Use(folder, member as Type ?? member?.DeclaringType);
                        if (member is MethodInfo { IsGenericMethod: true } generic)
                        {
                            // AddSingleton<StationSessions>() names its type only as a generic argument.
                            foreach (var argument in generic.GetGenericArguments())
                            {
                                Use(folder, argument);
                            }
                        }

                        if (member is FieldInfo f)
                        {
                            Use(folder, f.FieldType);
                        }
                    }
                    catch (ArgumentException)
                    {
                        // A token of a generic context this scan does not reconstruct; its types show up elsewhere.
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    private void Use(string from, Type? type)
    {
        if (type is null)
        {
            return;
        }

        if (type.HasElementType)
        {
            Use(from, type.GetElementType());
            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Use(from, argument);
            }
        }

        if (!type.IsGenericParameter && FolderOf(type) is { } to && to != from)
        {
            if (!_edges.TryGetValue(from, out var targets))
            {
                _edges[from] = targets = [];
            }

            targets.Add(to);
        }
    }

    /// <summary>The namespace of a type of this assembly (nested and compiler-generated types count for their outer type's folder).</summary>
    private string? FolderOf(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || type.Assembly.GetName().Name != _root || !(ns == _root || ns.StartsWith(_root + ".", StringComparison.Ordinal)))
        {
            return null;
        }

        return ns;
    }
}
