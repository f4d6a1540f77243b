namespace LinuxIoMux;

/// <summary>
/// Called on the reactor's loop thread when a registered descriptor is ready.
/// </summary>
/// <param name="registration">The registration that fired: its <see cref="Registration.State"/> carries the
/// caller's per-descriptor object, so one static handler can serve every connection without a closure each.</param>
/// <param name="readiness">What was reported, with hang-up and error folded into the registered interests.</param>
/// <remarks>
/// Level-triggered: read or write what you can; if anything is left the handler runs again on the next wait.
/// Edge-triggered: drain until would-block before returning. The handler may register, modify or dispose any
/// registration (its own included), schedule timers and post; an exception it throws is reported through
/// <see cref="Reactor.UnhandledException"/> and the loop goes on.
/// </remarks>
public delegate void ReadinessHandler(Registration registration, Readiness readiness);
