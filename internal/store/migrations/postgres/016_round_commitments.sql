-- A round may assess the plan's commitments (承诺事项): subject_kind 'commitments'.
ALTER TABLE sup_rounds DROP CONSTRAINT sup_rounds_subject_kind_check;
ALTER TABLE sup_rounds ADD CONSTRAINT sup_rounds_subject_kind_check
	CHECK (subject_kind IN ('standard', 'indicators', 'commitments', 'ledger', 'checklist'));
