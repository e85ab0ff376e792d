// The scaffolder's template editor loads a local template directory through
// the File System Access API, whose picker a headless browser cannot show.
// This replaces window.showDirectoryPicker, before the app loads, with one
// that returns an in-memory directory holding the given files: the editor,
// the form and the dry-run backend call are all the real ones. The editor
// keeps the chosen handle in IndexedDB, which cannot clone an in-memory
// handle, so the handle is kept in page memory behind a reference there.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Reads a directory into { 'relative/path': 'text' }. */
export function readTemplateFiles(dir) {
  const files = {};
  const walk = current => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

export async function installFakeDirectoryPicker(page, name, files) {
  await page.addInitScript(
    ({ dirName, contents }) => {
      const fileHandle = (fileName, getText) => ({
        kind: 'file',
        name: fileName,
        getFile: async () => new File([getText()], fileName),
        createWritable: async () => ({
          write: async () => {},
          close: async () => {},
        }),
      });
      const directory = (dir, prefix) => {
        const children = () => {
          const seen = new Map();
          for (const path of Object.keys(contents)) {
            if (!path.startsWith(prefix)) continue;
            const rest = path.slice(prefix.length);
            const [head, ...tail] = rest.split('/');
            if (tail.length === 0)
              seen.set(
                head,
                fileHandle(head, () => contents[path]),
              );
            else if (!seen.has(head))
              seen.set(head, directory(head, `${prefix}${head}/`));
          }
          return [...seen.values()];
        };
        return {
          kind: 'directory',
          name: dir,
          async *values() {
            yield* children();
          },
          async *entries() {
            for (const child of children()) yield [child.name, child];
          },
          getDirectoryHandle: async sub => directory(sub, `${prefix}${sub}/`),
          getFileHandle: async fileName =>
            fileHandle(fileName, () => contents[`${prefix}${fileName}`] ?? ''),
          queryPermission: async () => 'granted',
          requestPermission: async () => 'granted',
        };
      };
      window.showDirectoryPicker = async () => ({
        ...directory(dirName, ''),
        fakeDirectory: true,
      });

      const kept = new Map();
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function putKeepingFakes(value, key) {
        if (value && value.handle && value.handle.fakeDirectory) {
          const ref = `fake-directory-${kept.size}`;
          kept.set(ref, value);
          return put.call(this, { fakeDirectoryRef: ref }, key);
        }
        return put.call(this, value, key);
      };
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function getKeptFakes(key) {
        const request = get.call(this, key);
        return new Proxy(request, {
          get(target, prop) {
            if (prop === 'result') {
              const result = target.result;
              return result && result.fakeDirectoryRef
                ? kept.get(result.fakeDirectoryRef)
                : result;
            }
            const value = Reflect.get(target, prop, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
          set(target, prop, value) {
            target[prop] = value;
            return true;
          },
        });
      };
    },
    { dirName: name, contents: files },
  );
}
