import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ANY_VIEWER_KEY, ROLES_KEY } from './auth.decorators';

/** @nestjs/graphql's metadata keys (graphql.constants.js): what @Query/@Mutation/@Subscription set on a method. */
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';
const RESOLVER_REFERENCE_METADATA = 'graphql:resolve_reference';
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

type Class = abstract new (...args: never[]) => unknown;

function methodsOf(type: Class): Array<[string, object]> {
  const methods: Array<[string, object]> = [];
  for (let proto: unknown = type.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function')
        methods.push([name, descriptor.value as object]);
    }
  }
  return methods;
}

const has = (key: string, ...targets: object[]): boolean =>
  targets.some((t) => Reflect.getMetadata(key, t) !== undefined);

/**
 * Root resolvers (query, mutation, subscription) that state no rule: `Class.method (Query)`.
 * The guard refuses them at run time; use this in a unit test to fail the build earlier.
 */
export function findUnguardedResolvers(types: Iterable<Class>): string[] {
  const found: string[] = [];
  for (const type of types) {
    for (const [name, method] of methodsOf(type)) {
      const kind: unknown = Reflect.getMetadata(RESOLVER_TYPE_METADATA, method);
      if (typeof kind !== 'string' || !ROOT_TYPES.has(kind)) continue;
      if (has(RESOLVER_PROPERTY_METADATA, method) || has(RESOLVER_REFERENCE_METADATA, method)) continue;
      if (has(ROLES_KEY, method, type) || has(ANY_VIEWER_KEY, method, type)) continue;
      found.push(`${type.name}.${name} (${kind})`);
    }
  }
  return found;
}

/** Says at start which resolvers will refuse every call, instead of waiting for the first one. */
@Injectable()
export class ResolverAudit implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuthModule');

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const types = new Set<Class>();
    for (const wrapper of this.discovery.getProviders()) {
      const type: unknown = wrapper.metatype;
      if (typeof type === 'function' && wrapper.instance) types.add(type as Class);
    }
    for (const resolver of findUnguardedResolvers(types)) {
      this.logger.error(`${resolver} has neither @Roles nor @AnyViewer: every call to it is refused (FORBIDDEN)`);
    }
  }
}
