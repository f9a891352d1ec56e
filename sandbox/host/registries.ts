/**
 * Grafana fills two registries of @grafana/data at start-up with its own option editors; plugins
 * depend on them without knowing: `builder.addNumberInput(...)` looks up the `number` editor (and
 * throws if the registry is empty), and `useFieldConfig()` builds the standard field options (unit,
 * min, max, thresholds, ...) from the field-config registry, whose processors applyFieldOverrides
 * runs. The host has no options editor UI, so its editors render nothing; ids, paths, processors and
 * defaults follow Grafana's (public/app/core/components/OptionsUI/registry.tsx).
 */
import {
  booleanOverrideProcessor,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigPropertyItem,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  StandardEditorsRegistryItem,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  valueMappingsOverrideProcessor,
} from '@grafana/data';

const NoEditor = () => null;

/** Editor ids Grafana registers; a plugin's options builder may ask for any of them. */
export const EDITOR_IDS = [
  'text',
  'number',
  'slider',
  'boolean',
  'radio',
  'select',
  'unit',
  'links',
  'actions',
  'stats-picker',
  'strings',
  'timezone',
  'fieldColor',
  'color',
  'multi-select',
  'field-name',
  'dashboard-uid',
  'mappings',
  'thresholds',
] as const;

function editors(): StandardEditorsRegistryItem[] {
  return EDITOR_IDS.map((id) => ({
    id,
    name: id,
    description: 'Host placeholder: the sandbox has no options editor.',
    editor: NoEditor,
  }));
}

const isNumber = (field: { type: FieldType }) => field.type === FieldType.number;
const always = () => true;

function standardFieldConfigs(): FieldConfigPropertyItem[] {
  const standard = ['Standard options'];
  const item = (
    id: string,
    process: FieldConfigPropertyItem['process'],
    extra: Partial<FieldConfigPropertyItem> = {}
  ): FieldConfigPropertyItem => ({
    id,
    path: id,
    name: id,
    editor: NoEditor,
    override: NoEditor,
    process,
    shouldApply: always,
    category: standard,
    ...extra,
  });
  return [
    item('unit', stringOverrideProcessor),
    item('min', numberOverrideProcessor, { shouldApply: isNumber }),
    item('max', numberOverrideProcessor, { shouldApply: isNumber }),
    item('fieldMinMax', booleanOverrideProcessor, { shouldApply: isNumber }),
    item('decimals', numberOverrideProcessor, { shouldApply: isNumber }),
    item('displayName', displayNameOverrideProcessor),
    item('color', identityOverrideProcessor, { settings: { byValueSupport: true, preferThresholdsMode: true } }),
    item('noValue', stringOverrideProcessor),
    item('links', dataLinksOverrideProcessor, { category: ['Data links and actions'] }),
    item('actions', identityOverrideProcessor, { category: ['Data links and actions'], hideFromDefaults: true }),
    item('mappings', valueMappingsOverrideProcessor, {
      defaultValue: [],
      shouldApply: (field) => field.type !== FieldType.time,
      category: ['Value mappings'],
    }),
    item('thresholds', thresholdsOverrideProcessor, {
      defaultValue: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'green' },
          { value: 80, color: 'red' },
        ],
      },
      category: ['Thresholds'],
    }),
    item('filterable', booleanOverrideProcessor, { hideFromDefaults: true }),
  ];
}

let initialised = false;

/** Fills both registries once, before any plugin module is evaluated. */
export function initHostRegistries(): void {
  if (initialised) {
    return;
  }
  standardEditorsRegistry.setInit(editors);
  standardFieldConfigEditorRegistry.setInit(standardFieldConfigs);
  initialised = true;
}
