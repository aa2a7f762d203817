/**
 * What a release needs besides good tarballs, checked before packing: in lerna's
 * fixed mode every package carries lerna.json's version and pins its siblings to
 * exactly that version, and CHANGELOG.md has a section for it. Each problem is a
 * line that names the file and the fix.
 */

/** A package as the check sees it: its name, version and dependencies. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** Problems with the versions of the packages against lerna.json's `version`. */
export function versionProblems(version: string, manifests: readonly PackageManifest[]): string[] {
  const names = new Set(manifests.map((manifest) => manifest.name));
  const problems: string[] = [];
  for (const manifest of manifests) {
    if (manifest.version !== version) {
      problems.push(
        `${manifest.name} is at ${manifest.version}, lerna.json at ${version}: version all packages together with \`npx lerna version\`.`,
      );
    }
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (names.has(name) && range !== version) {
        problems.push(
          `${manifest.name} depends on ${name}@${range}, not on exactly ${version}: set it to "${version}" (lerna version does this).`,
        );
      }
    }
  }
  return problems;
}

/** Problems with CHANGELOG.md: none when it has a `## <version>` heading. */
export function changelogProblems(version: string, changelog: string): string[] {
  const escaped = version.replaceAll('.', '\\.');
  if (new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, 'm').test(changelog)) return [];
  return [
    `CHANGELOG.md has no section for ${version}: add "## ${version} (YYYY-MM-DD)" listing what changed.`,
  ];
}
