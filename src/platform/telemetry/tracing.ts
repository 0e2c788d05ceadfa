import { context, propagation, trace, SpanStatusCode, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';

export interface TracingConfig {
  /** OTLP/HTTP traces endpoint (…/v1/traces). */
  readonly endpoint: string;
  readonly serviceName: string;
  /** Share of new traces recorded (0–1); a caller's sampling decision (traceparent) is always followed. */
  readonly sampleRatio: number;
}

export interface Tracing {
  readonly tracer: Tracer;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

const TRACER_NAME = 'skyguard';

/**
 * OpenTelemetry traces to an OTLP/HTTP collector (only when configured: without it no tracer is
 * registered and the helpers below cost a context look-up). Registers the global tracer provider,
 * the W3C trace-context propagator and an AsyncLocalStorage context manager, so a span started for
 * a request is the parent of the database transactions its handler opens.
 */
export function startTracing(config: TracingConfig, version: string): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': version }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.endpoint }), scheduledDelayMillis: 1000 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer(TRACER_NAME, version),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The context a request's trace continues from its `traceparent`/`tracestate` headers (W3C). */
export const contextFromHeaders = (headers: Record<string, unknown>): Context => propagation.extract(context.active(), headers);

/**
 * Runs `fn` in a child span of the active span, if there is one (a traced request or job);
 * otherwise just runs it, so untraced work pays no span.
 */
export async function inChildSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  if (!trace.getActiveSpan()) return fn();
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes }, (span) => ended(span, fn));
}

/** Runs `fn` as a new root span (a background job): traced only when tracing is on. */
export async function inRootSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes, root: true }, (span) => ended(span, fn));
}

/** Runs `fn` and ends `span` after it, marked failed (with the error's name and message) if it threw. */
async function ended<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message.slice(0, 200) : 'failed' });
    if (e instanceof Error) span.recordException({ name: e.name, message: e.message.slice(0, 500) });
    throw e;
  } finally {
    span.end();
  }
}
