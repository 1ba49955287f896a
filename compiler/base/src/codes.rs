//! The stable diagnostic codes and their long explanations (`tfc explain CODE`).
//!
//! Families: `E01xx` syntax, `E02xx` names and modules, `E03xx` shapes, `E04xx` types,
//! `E05xx` compilation (lowering and back ends), `E06xx` run time.
//! Codes are never renumbered; tests assert codes, not wording.

macro_rules! codes {
    ($($variant:ident = $code:literal, $title:literal, $explain:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// One line saying what the code is about.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// The long explanation with an example, for `tfc explain`.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explain,)* }
            }
        }
    };
}

impl Code {
    pub fn parse(text: &str) -> Option<Code> {
        let text = text.trim().to_ascii_uppercase();
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

include!("codes_table.rs");
