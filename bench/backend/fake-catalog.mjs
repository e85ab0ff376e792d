/*
 * The catalog as the plugin sees it through `catalogServiceRef`, for the
 * cycle benchmark: `streamEntities` answers pages of `pageSize`, each
 * serialised and parsed again as CatalogClient's HTTP round trip does, after
 * filtering once (the catalog's database does that with its indexes).
 * @backstage/catalog-client's InMemoryCatalogClient rebuilds the search
 * terms of every entity for every page (about 2 s for 10,000 entities),
 * which no real catalog costs its caller.
 *
 * Only the filters readEntityTargets sends are understood (any of several
 * `metadata.annotations.<key>: CATALOG_FILTER_EXISTS`); anything else throws.
 */
export function fakeCatalog(entities, CATALOG_FILTER_EXISTS) {
  const annotationFilter = filter => {
    const alternatives = Array.isArray(filter) ? filter : [filter];
    const keys = alternatives.map(alternative => {
      const entries = Object.entries(alternative ?? {});
      const [key, value] = entries[0] ?? [];
      if (
        entries.length !== 1 ||
        value !== CATALOG_FILTER_EXISTS ||
        !key.startsWith('metadata.annotations.')
      ) {
        throw new Error(
          `fake catalog: unsupported filter ${JSON.stringify(alternative)}`,
        );
      }
      return key.slice('metadata.annotations.'.length);
    });
    return entity =>
      keys.some(k => entity.metadata.annotations?.[k] !== undefined);
  };
  return {
    async *streamEntities(request = {}) {
      const matches = request.filter
        ? entities.filter(annotationFilter(request.filter))
        : entities;
      const pageSize = request.pageSize ?? 500;
      for (let i = 0; i < matches.length; i += pageSize) {
        yield JSON.parse(JSON.stringify(matches.slice(i, i + pageSize)));
      }
    },
  };
}
