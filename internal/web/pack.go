package web

import "github.com/yantai-edu/eduplan/internal/plan"

// The pack as the API writes it: the same field names as `eduplan plan show --format
// json`, with the groups and labels a client needs to present it.

type packJSON struct {
	Code         string          `json:"code"`
	Version      string          `json:"version"`
	Name         string          `json:"name"`
	NameEn       string          `json:"name_en"`
	Tenant       string          `json:"tenant"`
	BaselineYear int             `json:"baseline_year"`
	TargetYear   int             `json:"target_year"`
	Delta        float64         `json:"delta"`
	Indicators   []indicatorJSON `json:"indicators"`
}

type orgJSON struct {
	Code   string `json:"code"`
	Parent string `json:"parent"`
	Level  string `json:"level"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Kind   string `json:"kind"`
}

type indicatorJSON struct {
	Code             string             `json:"code"`
	Name             string             `json:"name"`
	NameEn           string             `json:"name_en"`
	Group            string             `json:"group"`
	GroupEn          string             `json:"group_en"`
	Unit             string             `json:"unit"`
	Decimals         int                `json:"decimals"`
	Direction        string             `json:"direction"`
	Attribute        string             `json:"attribute"`
	AttributeLabel   string             `json:"attribute_label"`
	AttributeLabelEn string             `json:"attribute_label_en"`
	Tolerance        float64            `json:"tolerance"`
	Levels           []string           `json:"levels"`
	Formula          string             `json:"formula"`
	Baseline         plan.Point         `json:"baseline"`
	Target           plan.Point         `json:"target"`
	OrgBaselines     map[string]float64 `json:"org_baselines"`
	OrgTargets       map[string]float64 `json:"org_targets"`
}

func planOf(p *plan.Pack) packJSON {
	return packJSON{Code: p.Code, Version: p.Version, Name: p.Name, NameEn: p.NameEn, Tenant: p.Tenant,
		BaselineYear: p.BaselineYear, TargetYear: p.TargetYear, Delta: p.Delta, Indicators: indicatorsOf(p)}
}

func orgsOf(p *plan.Pack) []orgJSON {
	out := make([]orgJSON, 0, len(p.Orgs))
	for _, o := range p.Orgs {
		out = append(out, orgJSON{o.Code, o.Parent, o.Level, o.Name, o.NameEn, o.Kind})
	}
	return out
}

func indicatorsOf(p *plan.Pack) []indicatorJSON {
	out := make([]indicatorJSON, 0, len(p.Indicators))
	for _, ind := range p.Indicators {
		out = append(out, indicatorOf(ind))
	}
	return out
}

func indicatorOf(ind *plan.Indicator) indicatorJSON {
	return indicatorJSON{
		Code: ind.Code, Name: ind.Name, NameEn: ind.NameEn, Group: ind.Group, GroupEn: ind.GroupEn,
		Unit: ind.Unit, Decimals: ind.Decimals, Direction: string(ind.Direction),
		Attribute: string(ind.Attribute), AttributeLabel: ind.Attribute.Label(), AttributeLabelEn: attributeEn(ind.Attribute),
		Tolerance: ind.Tolerance, Levels: nonNil(ind.Levels), Formula: ind.Formula,
		Baseline: ind.Baseline, Target: ind.Target,
		OrgBaselines: nonNilMap(ind.OrgBaselines), OrgTargets: nonNilMap(ind.OrgTargets),
	}
}

func nonNilMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return map[string]float64{}
	}
	return m
}

// attributeEn is the English term for an attribute, beside plan.Attribute.Label.
func attributeEn(a plan.Attribute) string {
	if a == plan.Binding {
		return "Binding"
	}
	return "Expected"
}
