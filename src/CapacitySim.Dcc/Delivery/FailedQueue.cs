namespace CapacitySim.Dcc.Delivery;

/// <summary>
/// A double-ended ring of structs: the failed queue appends at the tail and returns a message whose re-delivery failed
/// to the head, so order is kept. Grows by doubling; its size is bounded by the endpoint's byte cap.
/// </summary>
internal sealed class FailedQueue<T>
{
    private T[] items = new T[16];
    private int head;

    public int Count { get; private set; }

    public void AddLast(T item)
    {
        EnsureRoom();
        items[(head + Count) & (items.Length - 1)] = item;
        Count++;
    }

    public void AddFirst(T item)
    {
        EnsureRoom();
        head = (head - 1) & (items.Length - 1);
        items[head] = item;
        Count++;
    }

    public ref readonly T PeekFirst() => ref items[head];

    public T RemoveFirst()
    {
        var item = items[head];
        items[head] = default!;
        head = (head + 1) & (items.Length - 1);
        Count--;
        return item;
    }

    private void EnsureRoom()
    {
        if (Count < items.Length)
        {
            return;
        }

        var grown = new T[items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = items[(head + i) & (items.Length - 1)];
        }

        items = grown;
        head = 0;
    }
}
