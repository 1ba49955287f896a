//! Building functions: regions, parameters and ops, with result types inferred where the op
//! determines them (see `infer.rs`) and given explicitly where it cannot (reshape, broadcast, ...).

use tf_base::Span;

use crate::infer::infer_results;
use crate::ir::*;

pub struct FunctionBuilder {
    pub func: Function,
    /// Span given to ops created from now on.
    pub span: Option<Span>,
}

impl FunctionBuilder {
    pub fn new(name: impl Into<String>) -> FunctionBuilder {
        let body = Region::default();
        FunctionBuilder {
            func: Function {
                name: name.into(),
                values: Vec::new(),
                ops: Vec::new(),
                regions: vec![body],
                body: RegionId::new(0),
                span: None,
            },
            span: None,
        }
    }

    pub fn body(&self) -> RegionId {
        self.func.body
    }

    pub fn finish(self) -> Function {
        self.func
    }

    fn new_value(&mut self, ty: Type, def: ValueDef, name: Option<String>) -> ValueId {
        self.func.values.push(ValueData { ty, def, name });
        ValueId::new(self.func.values.len() - 1)
    }

    /// Adds a parameter to a region (a function parameter when the region is the body).
    pub fn param(&mut self, region: RegionId, ty: Type, name: Option<&str>) -> ValueId {
        let index = self.func.regions[region.index()].params.len();
        let v = self.new_value(ty, ValueDef::Param { region, index }, name.map(String::from));
        self.func.regions[region.index()].params.push(v);
        v
    }

    /// A new, empty region to be attached to the next op created with it.
    pub fn new_region(&mut self) -> RegionId {
        self.func.regions.push(Region::default());
        RegionId::new(self.func.regions.len() - 1)
    }

    pub fn set_yields(&mut self, region: RegionId, values: Vec<ValueId>) {
        self.func.regions[region.index()].yields = values;
    }

    pub fn set_type(&mut self, v: ValueId, ty: Type) {
        self.func.values[v.index()].ty = ty;
    }

    pub fn name_value(&mut self, v: ValueId, name: &str) {
        self.func.values[v.index()].name = Some(name.to_string());
    }

    /// Appends an op with explicitly typed results.
    pub fn op_typed(
        &mut self,
        region: RegionId,
        kind: OpKind,
        operands: Vec<ValueId>,
        result_types: Vec<Type>,
        regions: Vec<RegionId>,
    ) -> Vec<ValueId> {
        let op = OpId::new(self.func.ops.len());
        let results: Vec<ValueId> = result_types
            .into_iter()
            .enumerate()
            .map(|(index, ty)| self.new_value(ty, ValueDef::Result { op, index }, None))
            .collect();
        for r in &regions {
            self.func.regions[r.index()].parent = Some(op);
        }
        self.func.ops.push(Op { kind, operands, results: results.clone(), regions, span: self.span, parent: region });
        self.func.regions[region.index()].ops.push(op);
        results
    }

    /// Appends an op whose result types follow from its operands.
    pub fn op(&mut self, region: RegionId, kind: OpKind, operands: Vec<ValueId>) -> Result<Vec<ValueId>, String> {
        let types = infer_results(&self.func, &kind, &operands)?;
        Ok(self.op_typed(region, kind, operands, types, Vec::new()))
    }

    /// Appends an op with one result whose type follows from its operands.
    pub fn op1(&mut self, region: RegionId, kind: OpKind, operands: Vec<ValueId>) -> Result<ValueId, String> {
        let mut r = self.op(region, kind, operands)?;
        r.pop().ok_or_else(|| "op has no result".to_string())
    }

    pub fn constant(&mut self, region: RegionId, lit: Literal, dtype: DType) -> ValueId {
        self.op_typed(region, OpKind::Const(lit), Vec::new(), vec![Type::scalar(dtype)], Vec::new())[0]
    }

    /// An `i64` scalar holding a size (a constant, or arithmetic on size values).
    pub fn size_value(&mut self, region: RegionId, size: &Size) -> ValueId {
        if let Some(c) = size.as_constant() {
            return self.constant(region, Literal::Int(c), DType::I64);
        }
        if let Some(v) = size.as_symbol() {
            return v;
        }
        // Expand the polynomial: sum of coefficient * product of symbols.
        let mut total: Option<ValueId> = None;
        for (monomial, coefficient) in size.terms() {
            let mut term = self.constant(region, Literal::Int(coefficient), DType::I64);
            for s in monomial {
                term = self.op_typed(
                    region,
                    OpKind::Binary(BinaryOp::Mul),
                    vec![term, *s],
                    vec![Type::scalar(DType::I64)],
                    vec![],
                )[0];
            }
            total = Some(match total {
                None => term,
                Some(t) => self.op_typed(
                    region,
                    OpKind::Binary(BinaryOp::Add),
                    vec![t, term],
                    vec![Type::scalar(DType::I64)],
                    vec![],
                )[0],
            });
        }
        total.unwrap_or_else(|| self.constant(region, Literal::Int(0), DType::I64))
    }
}
