/*
 * The part of the engine that every cloud command loads first (Session.resolveProfile) and that
 * Select Profile needs alone: the Scaleway profiles and the config file, without the SDK. A
 * separate entry of the engine's split build (dist/engine/engine-profile.mjs), so the first
 * command in a fresh window parses a few dozen KB, not the whole engine (see engine-loader.ts).
 */
export { configFilePath, organizationMismatch, resolveProfile } from '../scaleway/profiles';
