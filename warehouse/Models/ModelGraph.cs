namespace BudgetPerf.Warehouse.Models;

/// <summary>The DAG of seeds and models built from their <c>ref</c>s: order, cycles, selection.</summary>
public sealed class ModelGraph
{
    private readonly Dictionary<string, ModelNode> _nodes;
    private readonly Dictionary<string, List<string>> _children = new();

    public ModelGraph(IEnumerable<ModelNode> nodes)
    {
        _nodes = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var node in _nodes.Values)
        {
            foreach (var parent in node.Refs)
            {
                if (!_nodes.ContainsKey(parent))
                    throw new ModelGraphException($"{node.Name} refers to '{parent}', which is neither a model nor a seed ({node.Path})");
                Children(parent).Add(node.Name);
            }
        }
        Order = TopologicalOrder();
    }

    public IReadOnlyCollection<ModelNode> Nodes => _nodes.Values;

    /// <summary>Every node, parents before children; ties broken by name so the order is stable.</summary>
    public IReadOnlyList<ModelNode> Order { get; }

    public ModelNode this[string name] => _nodes[name];

    public bool Contains(string name) => _nodes.ContainsKey(name);

    private List<string> Children(string name) =>
        _children.TryGetValue(name, out var list) ? list : _children[name] = [];

    private List<ModelNode> TopologicalOrder()
    {
        var state = new Dictionary<string, int>();   // 1 = on the path, 2 = done
        var order = new List<ModelNode>();
        var path = new List<string>();
        foreach (var name in _nodes.Keys.Order(StringComparer.Ordinal))
            Visit(name, state, path, order);
        return order;
    }

    private void Visit(string name, Dictionary<string, int> state, List<string> path, List<ModelNode> order)
    {
        if (state.TryGetValue(name, out var s))
        {
            if (s == 2) return;
            var cycle = path.Skip(path.IndexOf(name)).Append(name);
            throw new ModelGraphException($"cycle in models: {string.Join(" → ", cycle)}");
        }
        state[name] = 1;
        path.Add(name);
        foreach (var parent in _nodes[name].Refs.Order(StringComparer.Ordinal))
            Visit(parent, state, path, order);
        path.RemoveAt(path.Count - 1);
        state[name] = 2;
        order.Add(_nodes[name]);
    }

    /// <summary>All ancestors of a node (not the node itself).</summary>
    public HashSet<string> Ancestors(string name)
    {
        var found = new HashSet<string>();
        var stack = new Stack<string>(_nodes[name].Refs);
        while (stack.TryPop(out var n))
            if (found.Add(n)) foreach (var p in _nodes[n].Refs) stack.Push(p);
        return found;
    }

    /// <summary>All descendants of a node (not the node itself).</summary>
    public HashSet<string> Descendants(string name)
    {
        var found = new HashSet<string>();
        var stack = new Stack<string>(Children(name));
        while (stack.TryPop(out var n))
            if (found.Add(n)) foreach (var c in Children(n)) stack.Push(c);
        return found;
    }

    /// <summary>
    /// dbt-style selection: <c>name</c>, <c>+name</c> (with ancestors), <c>name+</c> (with descendants),
    /// several separated by spaces or commas. Null or empty selects everything.
    /// </summary>
    public IReadOnlyList<ModelNode> Select(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return Order;
        var chosen = new HashSet<string>();
        foreach (var term in selector.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var name = term.Trim('+');
            if (!_nodes.ContainsKey(name))
                throw new ModelGraphException($"--select: no model or seed named '{name}'");
            chosen.Add(name);
            if (term.StartsWith('+')) chosen.UnionWith(Ancestors(name));
            if (term.EndsWith('+')) chosen.UnionWith(Descendants(name));
        }
        return Order.Where(n => chosen.Contains(n.Name)).ToList();
    }
}

public sealed class ModelGraphException(string message) : Exception(message);
