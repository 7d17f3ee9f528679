//! A file of the site as a preview holds it: made, or to be made from its
//! renderer when it is first asked for.

use std::sync::{Arc, OnceLock};

use super::{Content, Output, Renderer};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::write::WriteError;

#[derive(Clone)]
pub enum Served {
    Ready(Arc<[u8]>),
    /// Made when first asked for: a preview starts serving before it has
    /// made 10,000 pages, and at that size the site-wide feeds and
    /// downloads take longer to make again after an edit than the pages
    /// the edit touches, while most edits are not followed by a download.
    Later(Arc<Later>),
}

pub struct Later {
    renderer: Arc<Renderer>,
    output: Output,
    made: OnceLock<Result<Arc<[u8]>, Arc<Diagnostic>>>,
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Served::Ready(bytes) => write!(f, "Ready({} bytes)", bytes.len()),
            Served::Later(later) => write!(f, "Later({:?})", later.output),
        }
    }
}

impl Served {
    /// `output` of `renderer`, made when first asked for.
    pub fn later(renderer: &Arc<Renderer>, output: Output) -> Served {
        Served::Later(Arc::new(Later { renderer: renderer.clone(), output, made: OnceLock::new() }))
    }

    /// The file's bytes, made now if they were left for later (once,
    /// however many ask at the same time), or why they cannot be made.
    pub fn bytes(&self) -> Result<Arc<[u8]>, Arc<Diagnostic>> {
        match self {
            Served::Ready(bytes) => Ok(bytes.clone()),
            Served::Later(later) => later.made.get_or_init(|| later.make().map_err(Arc::new)).clone(),
        }
    }

    /// What was given for the file, if it may have been given: its bytes,
    /// or why they could not be made; `None` for a file left for later
    /// that nobody has asked for yet.
    pub fn given(&self) -> Option<Result<Arc<[u8]>, Arc<Diagnostic>>> {
        match self {
            Served::Ready(bytes) => Some(Ok(bytes.clone())),
            Served::Later(later) => later.made.get().cloned(),
        }
    }

    /// Whether both are the very same file (the same held bytes, or the
    /// same file to make), which a preview need not read again.
    pub fn same(&self, other: &Served) -> bool {
        match (self, other) {
            (Served::Ready(a), Served::Ready(b)) => Arc::ptr_eq(a, b),
            (Served::Later(a), Served::Later(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Later {
    /// Makes the file. A panic while making it is a problem like any other
    /// (the whole site's build reports it too), shown in place of the page.
    fn make(&self) -> Result<Arc<[u8]>, Diagnostic> {
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.renderer.render(self.output)))
            .unwrap_or_else(|payload| {
                let what = crate::diagnostics::panic_cause(&*payload);
                Err(Diagnostic::error(
                    Code::Internal,
                    "(sitrep)",
                    Pos::WHOLE_FILE,
                    format!("sitrep failed while making this page: {what}"),
                )
                .with_help("save a file to try again, and please report this"))
            })?;
        match rendered.content {
            Content::Bytes(bytes) => Ok(bytes.into()),
            Content::Copy(from) => match std::fs::read(&from) {
                Ok(bytes) => Ok(bytes.into()),
                Err(source) => {
                    // Named from the site's folder, as every problem is: the
                    // page may be shown to others on the network.
                    let path = self.renderer.site_relative(&from);
                    Err(Diagnostic::from(WriteError::Read { path, source }))
                }
            },
            Content::Kept { .. } => unreachable!("`render` makes every page"),
        }
    }
}
