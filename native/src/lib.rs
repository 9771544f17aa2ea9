//! A faster copy of two comparisons of person linking: `best_name_level` (the comparison
//! "name") and `relative_level` ("father_name").
//!
//! The Python functions in `canonical_model/person_matching.py` are the definition; this is a
//! copy of them, step for step, checked against them pair by pair by
//! `tests/unit/test_native_levels.py`. Change them there first, then here, and let the test say
//! the two still agree.
//!
//! Why it exists: the full re-link computes these two levels for every distinct pair of values
//! among the blocked pairs, tens of millions at a million records, some 18 µs a call in Python.
//!
//! What stays in Python: a name's forms (its words, their sound keys and shapes, ...) come from
//! `person_matching.name_forms`, once per distinct string, so the sound keys have one
//! definition. Each distinct form string is interned here as a number: comparing two words is
//! then comparing two numbers, and the characters are read only where the Python reads
//! characters (lengths, first letters, the one-letter differences).
//!
//! Python indexes strings by code point, so the characters are `char`s, never bytes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::thread;

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;

/// The level of a comparison when one side does not say (`NULL_LEVEL`).
const NULL_LEVEL: i32 = -1;

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// One word of a name, with what the comparisons read of it: numbers (one per distinct string)
/// to compare, and the lengths and first letters they test. Kept together so that a pair of
/// names is read from a few places in memory rather than one per form.
#[derive(Clone, Copy)]
struct Word {
    token: u32,
    sound: u32,
    shape: u32,
    consonants: u32,
    token_len: u32,
    sound_len: u32,
    shape_len: u32,
    consonants_len: u32,
    first: char,
    sound_first: Option<char>,
    /// Which letters the sound key and its consonants have (each letter a bit, modulo 64): a
    /// string with a letter the other lacks is neither its anagram nor within it, which rules
    /// out most pairs of words before their letters are read.
    sound_letters: u64,
    consonant_letters: u64,
}

fn letters(text: &[char]) -> u64 {
    text.iter().fold(0, |set, &c| set | 1u64 << (c as u32 % 64))
}

/// Two neighbouring words written together: its sound key, and that key's consonants, which
/// `_pair_compounds` works out on every call (a vowel filter, not a sound key, so it is worked
/// out once here).
struct Compound {
    sound: u32,
    skeleton: u32,
    skeleton_len: u32,
}

/// A name's forms (`person_matching._Name`).
struct Name {
    words: Box<[Word]>,
    /// `compounds[i]` is words i and i + 1 together (`_Name.compound_sounds`).
    compounds: Box<[Compound]>,
    /// The sorted words as one number: equal numbers, equal tuples.
    sorted_tokens: u32,
    joined: u32,
    joined_sound: u32,
    joined_sound_len: u32,
    full_words: u32,
}

/// The forms as Python hands them over: the fields of `_Name` in their order. Strings stay
/// Python's until interned: most repeat (a word is its own sorted word, often its own sound),
/// and only a new one is copied.
type Forms<'py> = (
    Vec<Bound<'py, PyString>>,
    Vec<Bound<'py, PyString>>,
    Vec<Bound<'py, PyString>>,
    Vec<Bound<'py, PyString>>,
    Bound<'py, PyString>,
    Bound<'py, PyString>,
    u32,
    Vec<Bound<'py, PyString>>,
    Vec<Bound<'py, PyString>>,
);

/// FNV-1a: the interner hashes a few hundred thousand short strings a call, where the
/// standard library's SipHash (made to resist crafted keys, which these are not) costs more
/// than the rest of building the table.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Every name of one call, with the characters of the distinct strings of their forms, all in
/// one array (`spans[n]` is where string n is in `chars`): one allocation, read in few places.
struct Names {
    chars: Vec<char>,
    spans: Vec<(u32, u32)>,
    names: Vec<Name>,
}

#[derive(Default)]
struct Interner {
    numbers: FastMap<String, u32>,
    chars: Vec<char>,
    spans: Vec<(u32, u32)>,
    sequences: FastMap<Vec<u32>, u32>,
}

impl Interner {
    fn number(&mut self, text: &Bound<'_, PyString>) -> PyResult<u32> {
        Ok(self.number_of(text.to_str()?))
    }

    fn number_of(&mut self, text: &str) -> u32 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        let n = self.spans.len() as u32;
        let start = self.chars.len();
        self.chars.extend(text.chars());
        self.spans
            .push((start as u32, (self.chars.len() - start) as u32));
        self.numbers.insert(text.to_owned(), n);
        n
    }

    fn chars(&self, n: u32) -> &[char] {
        let (start, len) = self.spans[n as usize];
        &self.chars[start as usize..(start + len) as usize]
    }

    fn len(&self, n: u32) -> u32 {
        self.spans[n as usize].1
    }

    fn sequence(&mut self, texts: &[Bound<'_, PyString>]) -> PyResult<u32> {
        let numbers = texts
            .iter()
            .map(|t| self.number(t))
            .collect::<PyResult<Vec<u32>>>()?;
        let next = self.sequences.len() as u32;
        Ok(*self.sequences.entry(numbers).or_insert(next))
    }
}

impl Names {
    fn new(forms: Vec<Forms>) -> PyResult<Names> {
        let mut interner = Interner::default();
        let mut names = Vec::with_capacity(forms.len());
        for (
            tokens,
            sorted_tokens,
            sounds,
            shapes,
            joined,
            joined_sound,
            full_words,
            consonants,
            compound_sounds,
        ) in forms
        {
            let count = tokens.len();
            if count == 0
                || sorted_tokens.len() != count
                || sounds.len() != count
                || shapes.len() != count
                || consonants.len() != count
                || compound_sounds.len() != count - 1
            {
                return Err(PyValueError::new_err(
                    "a name's forms must have one token, sound, shape and consonants per word \
                     and one compound sound per two neighbouring words",
                ));
            }
            let mut words = Vec::with_capacity(count);
            for (((token, sound), shape), consonants) in
                tokens.iter().zip(&sounds).zip(&shapes).zip(&consonants)
            {
                let (token, sound) = (interner.number(token)?, interner.number(sound)?);
                let (shape, consonants) = (interner.number(shape)?, interner.number(consonants)?);
                let Some(&first) = interner.chars(token).first() else {
                    return Err(PyValueError::new_err("a name's word is empty"));
                };
                let sound_first = interner.chars(sound).first().copied();
                let sound_letters = letters(interner.chars(sound));
                let consonant_letters = letters(interner.chars(consonants));
                words.push(Word {
                    token,
                    sound,
                    shape,
                    consonants,
                    token_len: interner.len(token),
                    sound_len: interner.len(sound),
                    shape_len: interner.len(shape),
                    consonants_len: interner.len(consonants),
                    first,
                    sound_first,
                    sound_letters,
                    consonant_letters,
                });
            }
            let mut compounds = Vec::with_capacity(count - 1);
            for sound in &compound_sounds {
                let sound = interner.number(sound)?;
                let skeleton: String = interner
                    .chars(sound)
                    .iter()
                    .filter(|&&c| !is_vowel(c))
                    .collect();
                let skeleton = interner.number_of(&skeleton);
                compounds.push(Compound {
                    sound,
                    skeleton,
                    skeleton_len: interner.len(skeleton),
                });
            }
            let sorted_tokens = interner.sequence(&sorted_tokens)?;
            let (joined, joined_sound) =
                (interner.number(&joined)?, interner.number(&joined_sound)?);
            names.push(Name {
                words: words.into_boxed_slice(),
                compounds: compounds.into_boxed_slice(),
                sorted_tokens,
                joined,
                joined_sound,
                joined_sound_len: interner.len(joined_sound),
                full_words,
            });
        }
        if interner.chars.len() > u32::MAX as usize {
            return Err(PyValueError::new_err("the names' forms are too long"));
        }
        Ok(Names {
            chars: interner.chars,
            spans: interner.spans,
            names,
        })
    }

    #[inline]
    fn text(&self, n: u32) -> &[char] {
        let (start, len) = self.spans[n as usize];
        &self.chars[start as usize..(start + len) as usize]
    }
}

/// The words of a name not paired yet: the Python's `left_a`, `left_b` and `free_b`. Those
/// lists start as `range(len(tokens))` and only lose items, so they are always in ascending
/// order, and a set iterated in ascending order is the same list. A name has a few words: a
/// bit mask ([`u64`]) holds them without allocating; [`Many`] holds any number, for the name
/// of more than 64 words someone will one day type.
trait WordSet: Clone {
    fn all(count: usize) -> Self;
    fn has(&self, i: usize) -> bool;
    fn take(&mut self, i: usize);
    fn is_empty(&self) -> bool;
    fn count(&self) -> usize;
    /// The members, in ascending order.
    fn members(&self) -> impl Iterator<Item = usize> + '_;

    /// The first member (the lowest) for which `test` holds: the Python's
    /// `for j in left: if test(j): ...; break`.
    #[inline]
    fn first(&self, test: impl FnMut(&usize) -> bool) -> Option<usize> {
        self.members().find(test)
    }
}

struct Bits(u64);

impl Iterator for Bits {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(i)
    }
}

impl WordSet for u64 {
    #[inline]
    fn all(count: usize) -> u64 {
        if count >= 64 {
            u64::MAX
        } else {
            (1u64 << count) - 1
        }
    }

    #[inline]
    fn has(&self, i: usize) -> bool {
        i < 64 && (self >> i) & 1 == 1
    }

    #[inline]
    fn take(&mut self, i: usize) {
        *self &= !(1u64 << i);
    }

    #[inline]
    fn is_empty(&self) -> bool {
        *self == 0
    }

    #[inline]
    fn count(&self) -> usize {
        self.count_ones() as usize
    }

    #[inline]
    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        Bits(*self)
    }
}

#[derive(Clone)]
struct Many(Vec<u64>);

impl WordSet for Many {
    fn all(count: usize) -> Many {
        let mut blocks = vec![u64::MAX; count / 64];
        if count % 64 > 0 {
            blocks.push((1u64 << (count % 64)) - 1);
        }
        Many(blocks)
    }

    fn has(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|b| (b >> (i % 64)) & 1 == 1)
    }

    fn take(&mut self, i: usize) {
        self.0[i / 64] &= !(1u64 << (i % 64));
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|&b| b == 0)
    }

    fn count(&self) -> usize {
        self.0.iter().map(|b| b.count_ones() as usize).sum()
    }

    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .flat_map(|(k, &b)| Bits(b).map(move |i| k * 64 + i))
    }
}

/// Whether `longer` is `shorter` with one character inserted: rapidfuzz's
/// `Indel.distance(longer, shorter, score_cutoff=1) == 1` for strings whose lengths differ by
/// one (the only ones it is asked about), since that distance is then 1 exactly when `shorter`
/// is a subsequence of `longer`. Returns where the first difference is.
fn one_inserted(longer: &[char], shorter: &[char]) -> Option<usize> {
    if longer.len() != shorter.len() + 1 {
        return None;
    }
    let mut k = 0;
    while k < shorter.len() && longer[k] == shorter[k] {
        k += 1;
    }
    if longer[k + 1..] == shorter[k..] {
        Some(k)
    } else {
        None
    }
}

/// `_close`.
fn close(t: &Names, x: &Word, y: &Word) -> bool {
    if x.shape == y.shape && x.shape_len >= 3 {
        return true;
    }
    if x.sound_len.abs_diff(y.sound_len) == 1 {
        let shorter_letters = if x.sound_len < y.sound_len {
            x.sound_letters & !y.sound_letters
        } else {
            y.sound_letters & !x.sound_letters
        };
        if shorter_letters != 0 {
            return false;
        }
        let (p, q) = (t.text(x.sound), t.text(y.sound));
        let (longer, shorter) = if p.len() > q.len() { (p, q) } else { (q, p) };
        // `_one_letter_more`: the letter at the first difference, the `k` of its loop.
        return match one_inserted(longer, shorter) {
            None => false,
            Some(_) if shorter.len() < 3 => false,
            Some(k) => is_vowel(longer[k]) || longer.len() >= 6,
        };
    }
    if x.sound_len == y.sound_len && x.sound_len >= 4 {
        if x.sound_letters != y.sound_letters {
            return false;
        }
        let (p, q) = (t.text(x.sound), t.text(y.sound));
        let mut differ = [0usize; 2];
        let mut count = 0;
        for k in 0..p.len() {
            if p[k] != q[k] {
                if count == 2 {
                    return false;
                }
                differ[count] = k;
                count += 1;
            }
        }
        return count == 2
            && differ[1] == differ[0] + 1
            && p[differ[0]] == q[differ[1]]
            && p[differ[1]] == q[differ[0]];
    }
    false
}

/// `_initial_of`: whether the one-letter word `initial` is the initial of `word`. A word of
/// two letters or more has a sound key of one letter or more (`phonetic_token`), so its
/// `sound_first` is the Python's `sounds[j][0]`.
#[inline]
fn initial_of(initial: &Word, word: &Word) -> bool {
    word.token_len > 1 && (initial.first == word.first || Some(initial.first) == word.sound_first)
}

/// `_pair_compounds`: 0 if nothing paired, 2 if some pair needed other vowels, else 1.
fn pair_compounds<S: WordSet>(a: &Name, left_a: &mut S, b: &Name, left_b: &mut S) -> u8 {
    let (wa, wb) = (&a.words, &b.words);
    let mut found = 0;
    let snapshot = left_a.clone();
    for i in snapshot.members() {
        if !left_a.has(i + 1) || !left_a.has(i) || wa[i].token_len == 1 || wa[i + 1].token_len == 1
        {
            continue;
        }
        let compound = &a.compounds[i];
        let long = compound.skeleton_len >= 4;
        if let Some(j) = left_b.first(|&j| {
            wb[j].sound == compound.sound || (long && wb[j].consonants == compound.skeleton)
        }) {
            let same = wb[j].sound == compound.sound;
            left_a.take(i);
            left_a.take(i + 1);
            left_b.take(j);
            found = found.max(if same { 1 } else { 2 });
        }
    }
    found
}

/// `_pair_words`: the words of `a` and of `b` left unpaired, whether two full words paired, and
/// whether a close spelling was needed.
fn pair_words<S: WordSet>(t: &Names, a: &Name, b: &Name) -> (S, S, bool, bool) {
    let (wa, wb) = (&a.words, &b.words);
    let mut left_a = S::all(wa.len());
    let mut left_b = S::all(wb.len());
    let mut full = false;
    let mut used_close = false;
    for (i, x) in wa.iter().enumerate() {
        if let Some(j) = left_b.first(|&j| x.token == wb[j].token) {
            left_a.take(i);
            left_b.take(j);
            full = full || x.token_len > 1;
        }
    }
    if !left_a.is_empty() && !left_b.is_empty() {
        let snapshot = left_a.clone();
        for i in snapshot.members() {
            let x = &wa[i];
            if x.token_len == 1 {
                continue;
            }
            if let Some(j) = left_b.first(|&j| wb[j].token_len > 1 && x.sound == wb[j].sound) {
                left_a.take(i);
                left_b.take(j);
                full = true;
            }
        }
    }
    if left_a.count() + left_b.count() > 2 && !left_a.is_empty() && !left_b.is_empty() {
        // Both calls run, the second on what the first left (the Python builds a tuple of
        // both results before looking at either).
        let first = pair_compounds(a, &mut left_a, b, &mut left_b);
        let second = pair_compounds(b, &mut left_b, a, &mut left_a);
        for found in [first, second] {
            full = full || found > 0;
            used_close = used_close || found == 2;
        }
    }
    if !left_a.is_empty() && !left_b.is_empty() {
        let snapshot = left_a.clone();
        for i in snapshot.members() {
            let x = &wa[i];
            if x.token_len == 1 {
                continue;
            }
            if let Some(j) = left_b.first(|&j| wb[j].token_len > 1 && close(t, x, &wb[j])) {
                left_a.take(i);
                left_b.take(j);
                full = true;
                used_close = true;
            }
        }
    }
    if !left_a.is_empty() && !left_b.is_empty() {
        let snapshot = left_a.clone();
        for i in snapshot.members() {
            let x = &wa[i];
            if let Some(j) = left_b.first(|&j| {
                let y = &wb[j];
                (x.token_len == 1 && initial_of(x, y)) || (y.token_len == 1 && initial_of(y, x))
            }) {
                left_a.take(i);
                left_b.take(j);
            }
        }
    }
    (left_a, left_b, full, used_close)
}

/// `_alike`.
fn alike(t: &Names, x: &Word, y: &Word) -> bool {
    if x.sound_len.min(y.sound_len) < 3 {
        return false;
    }
    if x.consonants_len.abs_diff(y.consonants_len) > 1 {
        return false;
    }
    if x.consonants == y.consonants {
        return true;
    }
    let extra = if x.consonants_len < y.consonants_len {
        x.consonant_letters & !y.consonant_letters
    } else {
        y.consonant_letters & !x.consonant_letters
    };
    if x.consonants_len == y.consonants_len || extra != 0 {
        return false;
    }
    // The Indel distance of two different strings of one length is 2 at least (a change is a
    // deletion and an insertion); of lengths one apart, 1 when one is the other with a letter
    // more.
    let (p, q) = (t.text(x.consonants), t.text(y.consonants));
    if p.len() > q.len() {
        one_inserted(p, q).is_some()
    } else {
        one_inserted(q, p).is_some()
    }
}

/// `_alike_words`.
fn alike_words<S: WordSet>(t: &Names, a: &Name, left_a: &S, b: &Name, left_b: &S) -> bool {
    let (a, left_a, b, left_b) = if a.words.len() > b.words.len() {
        (b, left_b, a, left_a)
    } else {
        (a, left_a, b, left_b)
    };
    let mut free_b = left_b.clone();
    for j in left_b.members() {
        if b.words[j].token_len <= 1 {
            free_b.take(j);
        }
    }
    if free_b.count() < left_a.count() {
        return false;
    }
    for i in left_a.members() {
        let x = &a.words[i];
        if x.token_len == 1 {
            return false;
        }
        match free_b.first(|&j| alike(t, x, &b.words[j])) {
            Some(j) => free_b.take(j),
            None => return false,
        }
    }
    true
}

/// `_level_of_names`.
fn level_of_names(t: &Names, a: &Name, b: &Name) -> i32 {
    if a.sorted_tokens == b.sorted_tokens {
        return 4;
    }
    if a.words.len() <= 64 && b.words.len() <= 64 {
        level_of_words::<u64>(t, a, b)
    } else {
        level_of_words::<Many>(t, a, b)
    }
}

fn level_of_words<S: WordSet>(t: &Names, a: &Name, b: &Name) -> i32 {
    let (left_a, left_b, full, used_close) = pair_words::<S>(t, a, b);
    if full && left_a.is_empty() && left_b.is_empty() {
        return if used_close { 2 } else { 3 };
    }
    if a.joined == b.joined || (a.joined_sound_len > 3 && a.joined_sound == b.joined_sound) {
        return 3;
    }
    if full && (left_a.is_empty() || left_b.is_empty()) {
        return 1;
    }
    if !left_a.is_empty() && !left_b.is_empty() && alike_words(t, a, &left_a, b, &left_b) {
        return 1;
    }
    0
}

/// `name_level` of two names with forms, given as their numbers in [`Names::names`]: one
/// number is one distinct string, so equal numbers are the Python's `a == b`.
fn name_level(t: &Names, a: usize, b: usize) -> i32 {
    if a == b {
        return 4;
    }
    level_of_names(t, &t.names[a], &t.names[b])
}

/// `_person_name_level` of two names with forms.
fn person_name_level(t: &Names, a: usize, b: usize) -> i32 {
    let level = name_level(t, a, b);
    if level < 3 {
        return level;
    }
    if t.names[a].full_words.min(t.names[b].full_words) <= 1 {
        level - 1
    } else {
        level
    }
}

/// `best_name_level`, each side given as its names with forms (the name, then the aliases,
/// those without a word left out, as the Python's `names_a` and `names_b`). With no aliases on
/// either side the Python compares the two names alone, which is the same: no name with forms
/// on one side is -1 either way.
fn best_name_level(t: &Names, a: &[u32], b: &[u32]) -> i32 {
    if a.is_empty() || b.is_empty() {
        return NULL_LEVEL;
    }
    let mut best = 0;
    for &x in a {
        for &y in b {
            let level = person_name_level(t, x as usize, y as usize);
            if level == 4 {
                return 4;
            }
            best = best.max(level);
        }
    }
    best
}

/// `_same_first_word`.
fn same_first_word(a: &Name, b: &Name) -> bool {
    let (x, y) = (&a.words[0], &b.words[0]);
    if x.token_len == 1 && y.token_len > 1 {
        return initial_of(x, y);
    }
    if y.token_len == 1 && x.token_len > 1 {
        return initial_of(y, x);
    }
    x.token_len > 1 && x.sound == y.sound
}

/// `father_level`; a name is its number in [`Names::names`], or None when the Python's
/// `name_level` finds it missing (None, empty, or no words).
fn father_level(t: &Names, a: Option<usize>, b: Option<usize>) -> i32 {
    let (Some(a), Some(b)) = (a, b) else {
        return NULL_LEVEL;
    };
    let level = name_level(t, a, b);
    let (name_a, name_b) = (&t.names[a], &t.names[b]);
    if level == 0 && same_first_word(name_a, name_b) {
        return NULL_LEVEL;
    }
    if level < 3 {
        return level;
    }
    if name_a.full_words.min(name_b.full_words) >= 2 {
        4
    } else {
        3
    }
}

/// `relative_level`.
fn relative_level(t: &Names, a: Option<usize>, man_a: bool, b: Option<usize>, man_b: bool) -> i32 {
    let level = father_level(t, a, b);
    if level == NULL_LEVEL {
        return NULL_LEVEL;
    }
    if level > 0 {
        return level + 1;
    }
    if man_a && man_b {
        0
    } else {
        1
    }
}

/// The pairs' codes and the levels to write, as slices over the callers' buffers.
struct Pairs<'a> {
    lefts: &'a [i32],
    rights: &'a [i32],
    out: &'a mut [i32],
}

fn read_buffer<'a>(buffer: &'a PyBuffer<i32>, what: &str) -> PyResult<&'a [i32]> {
    if !buffer.is_c_contiguous() || buffer.dimensions() != 1 {
        return Err(PyValueError::new_err(format!(
            "{what} must be a one-dimensional contiguous int32 array"
        )));
    }
    // SAFETY: a contiguous buffer of `item_count` i32 (its format was checked by
    // `PyBuffer::<i32>::get`), held, so not freed or resized, until `buffer` is dropped, which
    // outlives the slice. The caller must not write to it meanwhile (native_levels.py makes
    // its own arrays).
    Ok(unsafe { std::slice::from_raw_parts(buffer.buf_ptr() as *const i32, buffer.item_count()) })
}

fn with_pairs<R>(
    lefts: &Bound<'_, PyAny>,
    rights: &Bound<'_, PyAny>,
    out: &Bound<'_, PyAny>,
    count: usize,
    compute: impl FnOnce(Pairs<'_>) -> PyResult<R>,
) -> PyResult<R> {
    let (lefts, rights, out) = (
        PyBuffer::<i32>::get(lefts)?,
        PyBuffer::<i32>::get(rights)?,
        PyBuffer::<i32>::get(out)?,
    );
    let left = read_buffer(&lefts, "lefts")?;
    let right = read_buffer(&rights, "rights")?;
    read_buffer(&out, "out")?;
    if out.readonly() {
        return Err(PyValueError::new_err("out must be writable"));
    }
    if left.len() != right.len() || left.len() != out.item_count() {
        return Err(PyValueError::new_err(
            "lefts, rights and out must have one item per pair",
        ));
    }
    if let Some(&code) = left
        .iter()
        .chain(right.iter())
        .find(|&&c| c < 1 || c as usize > count)
    {
        return Err(PyIndexError::new_err(format!(
            "code {code} is not one of the {count} values (codes count from 1)"
        )));
    }
    // SAFETY: as in read_buffer, and writable (checked above); this is the only slice over it.
    let levels =
        unsafe { std::slice::from_raw_parts_mut(out.buf_ptr() as *mut i32, out.item_count()) };
    compute(Pairs {
        lefts: left,
        rights: right,
        out: levels,
    })
}

/// Levels of every pair, on every core: contiguous shares, one thread each, no locks (each
/// writes its own part of `out`).
fn level_all(pairs: Pairs<'_>, level: impl Fn(usize, usize) -> i32 + Sync) {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let share = pairs.out.len().div_ceil(threads).max(1);
    let level = &level;
    thread::scope(|scope| {
        for ((out, lefts), rights) in pairs
            .out
            .chunks_mut(share)
            .zip(pairs.lefts.chunks(share))
            .zip(pairs.rights.chunks(share))
        {
            scope.spawn(move || {
                for ((slot, &a), &b) in out.iter_mut().zip(lefts).zip(rights) {
                    *slot = level(a as usize - 1, b as usize - 1);
                }
            });
        }
    });
}

/// The forms of many names, converted and interned once, for any number of calls of
/// [`name_levels`] and [`relative_levels`]: converting a million names' forms costs about as
/// much as comparing millions of pairs, and a re-link scores the same names more than once.
#[pyclass(frozen, module = "icjs_native")]
struct NameTable {
    names: Names,
}

#[pymethods]
impl NameTable {
    #[new]
    fn new(forms: Vec<Forms>) -> PyResult<NameTable> {
        Ok(NameTable {
            names: Names::new(forms)?,
        })
    }

    /// How many names' forms the table holds.
    fn __len__(&self) -> usize {
        self.names.names.len()
    }
}

/// `best_name_level` of pairs of values. `table` holds the forms of the distinct names with
/// words; `names[k - 1]` are the numbers in `table` of value k's name and aliases that have
/// words, the name first; `lefts[i]` and `rights[i]` are the codes (from 1) of pair i, whose
/// level is written to `out[i]`. The GIL is released while computing.
#[pyfunction]
fn name_levels(
    py: Python<'_>,
    table: &Bound<'_, NameTable>,
    names: Vec<Vec<u32>>,
    lefts: &Bound<'_, PyAny>,
    rights: &Bound<'_, PyAny>,
    out: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let table = &table.get().names;
    if names
        .iter()
        .flatten()
        .any(|&n| n as usize >= table.names.len())
    {
        return Err(PyIndexError::new_err(
            "a name number is not one of the forms",
        ));
    }
    with_pairs(lefts, rights, out, names.len(), |pairs| {
        py.detach(|| {
            level_all(pairs, |a, b| best_name_level(table, &names[a], &names[b]));
        });
        Ok(())
    })
}

/// `relative_level` of pairs of values. `fathers[k - 1]` is the number in `table` of value k's
/// father's name, or -1 when it has none with words; `men[k - 1]` whether value k's gender is
/// "male". `table`, pairs and `out` as for [`name_levels`].
#[pyfunction]
fn relative_levels(
    py: Python<'_>,
    table: &Bound<'_, NameTable>,
    fathers: Vec<i64>,
    men: Vec<bool>,
    lefts: &Bound<'_, PyAny>,
    rights: &Bound<'_, PyAny>,
    out: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let table = &table.get().names;
    if fathers.len() != men.len() {
        return Err(PyValueError::new_err(
            "fathers and men must have one item per value",
        ));
    }
    let mut known = Vec::with_capacity(fathers.len());
    for &father in &fathers {
        known.push(match father {
            -1 => None,
            n if n >= 0 && (n as usize) < table.names.len() => Some(n as usize),
            _ => {
                return Err(PyIndexError::new_err(
                    "a father's number is not one of the forms",
                ))
            }
        });
    }
    with_pairs(lefts, rights, out, known.len(), |pairs| {
        py.detach(|| {
            level_all(pairs, |a, b| {
                relative_level(table, known[a], men[a], known[b], men[b])
            });
        });
        Ok(())
    })
}

/// A faster copy of two person-linking comparisons of canonical_model/person_matching.py
/// (best_name_level, relative_level), which define them.
#[pymodule]
fn icjs_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(name_levels, m)?)?;
    m.add_function(wrap_pyfunction!(relative_levels, m)?)?;
    m.add_class::<NameTable>()?;
    Ok(())
}
