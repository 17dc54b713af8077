using System.Collections.Generic;

namespace TlsEngine.Crypto;

/// <summary>A small thread-safe memo with a hard size bound (oldest entries leave first), for pure results worth keeping across connections.</summary>
internal sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _capacity;
    private readonly Dictionary<TKey, TValue> _entries = new();
    private readonly Queue<TKey> _order = new();

    public BoundedCache(int capacity)
    {
        _capacity = capacity;
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_entries)
        {
            return _entries.TryGetValue(key, out value!);
        }
    }

    public void Add(TKey key, TValue value)
    {
        lock (_entries)
        {
            if (_entries.ContainsKey(key))
            {
                return;
            }

            while (_entries.Count >= _capacity && _order.Count > 0)
            {
                _entries.Remove(_order.Dequeue());
            }

            _entries[key] = value;
            _order.Enqueue(key);
        }
    }
}
