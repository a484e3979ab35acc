import algoliasearch from 'algoliasearch/lite';
import instantsearch from 'instantsearch.js';

// search-only key: safe to ship to browsers, restricted to the docs index
const searchClient = algoliasearch('OBLQ4P7Q8H', '47ec72dd71b8b66ef84ba9b55ca609e6');

instantsearch({ indexName: 'docs_prod', searchClient }).start();
