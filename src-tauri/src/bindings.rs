//! Writes the TypeScript side of the IPC contract to `ui/src/ipc/bindings/` (or to
//! `ASSAY_BINDINGS_DIR`): `cargo test -p assay-desktop --features ts --lib bindings`.
//!
//! - one file per type that crosses IPC (ts-rs), found from the command table, so a type used
//!   by a command cannot be left out;
//! - `commands.ts`: one typed wrapper per command ([`crate::commands::command_table`]), with
//!   the argument keys Tauri expects, and the events with their payload types.
//!
//! `scripts/check-ipc-types.sh` regenerates them into a temporary directory and fails when the
//! committed files differ.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assay_api::{ErrorCode, ErrorPayload};
use ts_rs::{Config, Dependency, TS, TypeVisitor};

use crate::commands::command_table;
use crate::ipc::{IMPORT_PROGRESS_EVENT, ImportProgress};

/// A command as the front end sees it.
#[derive(Debug)]
pub struct CommandSig {
    pub name: &'static str,
    pub docs: Vec<&'static str>,
    pub args: Vec<(&'static str, TypeSig)>,
    pub output: TypeSig,
}

/// A Rust type as TypeScript names it, with the exported types that name refers to.
#[derive(Debug)]
pub struct TypeSig {
    ts: String,
    refers_to: BTreeSet<String>,
}

impl TypeSig {
    /// Also writes the binding files of every exported type `T` refers to (and theirs).
    pub fn of<T: TS + 'static>(cfg: &Config) -> TypeSig {
        struct Collect<'a> {
            cfg: &'a Config,
            names: BTreeSet<String>,
        }
        impl TypeVisitor for Collect<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                if let Some(dep) = Dependency::from_ty::<U>(self.cfg) {
                    self.names.insert(dep.ts_name);
                    if let Err(e) = U::export_all(self.cfg) {
                        panic!("cannot write the binding of {}: {e}", U::ident(self.cfg));
                    }
                }
            }
        }
        let mut collect = Collect {
            cfg,
            names: BTreeSet::new(),
        };
        collect.visit::<T>();
        T::visit_generics(&mut collect);
        TypeSig {
            ts: T::name(cfg),
            refers_to: collect.names,
        }
    }
}

/// Types that cross IPC outside a command's signature: error payloads and event payloads.
fn export_other_types(cfg: &Config) -> Result<(), ts_rs::ExportError> {
    ErrorPayload::export_all(cfg)?;
    ErrorCode::export_all(cfg)?;
    ImportProgress::export_all(cfg)?;
    Ok(())
}

/// `list_items` -> `listItems`: Tauri's key for an argument, and the wrapper's name.
fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn js_doc(out: &mut String, docs: &[&str]) {
    if docs.is_empty() {
        return;
    }
    out.push_str("/**\n");
    for line in docs {
        let line = line.strip_prefix(' ').unwrap_or(line);
        let _ = writeln!(out, " *{}{line}", if line.is_empty() { "" } else { " " });
    }
    out.push_str(" */\n");
}

/// `commands.ts`: a typed function per command, the `commands` object of them all, and the
/// events the shell emits.
fn commands_ts(commands: &[CommandSig]) -> String {
    let mut names = BTreeSet::new();
    for command in commands {
        names.extend(command.output.refers_to.iter().cloned());
        for (_, ty) in &command.args {
            names.extend(ty.refers_to.iter().cloned());
        }
    }
    let mut out = String::from(
        "// Generated from the Rust commands (src-tauri/src/commands.rs, src-tauri/src/bindings.rs).\n\
         // Do not edit: scripts/check-ipc-types.sh --write regenerates it.\n\
         import { invoke } from '../invoke';\n",
    );
    let _ = writeln!(
        out,
        "import type {{ {} }} from './index';\n",
        names.into_iter().collect::<Vec<_>>().join(", ")
    );
    for command in commands {
        js_doc(&mut out, &command.docs);
        let params: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{}: {}", camel_case(name), ty.ts))
            .collect();
        let keys: Vec<String> = command.args.iter().map(|(n, _)| camel_case(n)).collect();
        // `()` is `null` to ts-rs; a command with nothing to say resolves to `void`.
        let output = match command.output.ts.as_str() {
            "null" => "void",
            other => other,
        };
        let call = if keys.is_empty() {
            format!("invoke('{}')", command.name)
        } else {
            format!("invoke('{}', {{ {} }})", command.name, keys.join(", "))
        };
        let _ = writeln!(
            out,
            "export const {} = ({}): Promise<{output}> =>\n  {call};\n",
            camel_case(command.name),
            params.join(", "),
        );
    }
    out.push_str("/** Every command, by its wrapper's name. */\nexport const commands = {\n");
    for command in commands {
        let _ = writeln!(out, "  {},", camel_case(command.name));
    }
    out.push_str("};\n\nexport type Commands = typeof commands;\n\n");
    let _ = writeln!(
        out,
        "/** The event `importEvidence` reports progress with; its payload is an `ImportProgress`. */\n\
         export const IMPORT_PROGRESS_EVENT = '{IMPORT_PROGRESS_EVENT}';"
    );
    out
}

fn out_dir() -> PathBuf {
    match std::env::var_os("ASSAY_BINDINGS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings"),
    }
}

/// `index.ts` re-exports every type binding, so the front end imports from one place.
fn write_index(dir: &Path) -> std::io::Result<()> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".ts")?;
            (stem != "index" && stem != "commands").then(|| stem.to_owned())
        })
        .collect();
    names.sort();
    let mut text = String::from(
        "// Generated with the TypeScript bindings (src-tauri/src/bindings.rs). Do not edit.\n",
    );
    for name in names {
        text.push_str(&format!("export type {{ {name} }} from './{name}';\n"));
    }
    std::fs::write(dir.join("index.ts"), text)
}

#[test]
fn bindings() {
    let dir = out_dir();
    // Start empty, so that a type no longer used does not linger.
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    // serde_json writes 64-bit integers as JSON numbers, which JavaScript reads as `number`.
    let cfg = Config::new().with_large_int("number").with_out_dir(&dir);
    let commands = command_table(&cfg);
    export_other_types(&cfg).unwrap();
    std::fs::write(dir.join("commands.ts"), commands_ts(&commands)).unwrap();
    write_index(&dir).unwrap();
}

#[test]
fn argument_keys_are_camel_case() {
    assert_eq!(camel_case("overdue_only"), "overdueOnly");
    assert_eq!(camel_case("list_assessments"), "listAssessments");
    assert_eq!(camel_case("id"), "id");
}
