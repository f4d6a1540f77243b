namespace LinuxIoMux;

/// <summary>
/// A callback the loop runs later (a posted action, a timer's callback) and its state, stored without a closure so
/// that <see cref="Reactor.Post{TState}(Action{TState}, TState)"/> and
/// <see cref="Reactor.Schedule{TState}(TimeSpan, Action{TState}, TState)"/> allocate nothing for a reference-type state.
/// </summary>
internal readonly struct LoopCallback
{
    private readonly Action<object?, object?> _invoke;
    private readonly object _callback;
    private readonly object? _state;

    private LoopCallback(Action<object?, object?> invoke, object callback, object? state)
    {
        _invoke = invoke;
        _callback = callback;
        _state = state;
    }

    /// <summary>An <see cref="Action"/> with no state.</summary>
    internal static LoopCallback Of(Action action) => new(static (callback, _) => ((Action)callback!)(), action, null);

    /// <summary>An <see cref="Action{TState}"/> and its state (a value-type state is boxed: one allocation).</summary>
    internal static LoopCallback Of<TState>(Action<TState> action, TState state) => new(Invoker<TState>.Invoke, action, state);

    /// <summary>A <see cref="SendOrPostCallback"/> and its state (what a SynchronizationContext posts): no allocation.</summary>
    internal static LoopCallback Of(SendOrPostCallback callback, object? state) =>
        new(static (callback, state) => ((SendOrPostCallback)callback!)(state), callback, state);

    /// <summary>Runs the callback on the calling (loop) thread.</summary>
    internal void Run() => _invoke(_callback, _state);

    /// <summary>One cached invoker per state type, so posting creates no delegate.</summary>
    private static class Invoker<TState>
    {
        internal static readonly Action<object?, object?> Invoke = static (callback, state) => ((Action<TState>)callback!)((TState)state!);
    }
}
