/**
 * The modules the host supplies to a plugin's AMD `define([...deps])`, following Grafana's own
 * shared-dependency map (public/app/features/plugins/loader/sharedDependencies.ts): the packages a
 * plugin's webpack config marks as external. What the Cascade panel uses is bundled eagerly; the rest
 * loads on demand (esbuild splits them into chunks), so asking for them costs nothing until a plugin does.
 * The names are listed in sharedModules.ts; Grafana's legacy `app/*` paths, flot, slate and angular
 * are deliberately absent (see NOT_SUPPLIED there): a plugin that asks for them gets a
 * MissingHostModulesError naming them.
 */
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUI from '@grafana/ui';
import lodash from 'lodash';
import React from 'react';
import ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

import type { HostModuleProvider } from './amd';
import type { SuppliedModule } from './sharedModules';

/** CommonJS packages whose default export is the module (what `__useDefault` means to SystemJS). */
const defaultOf = <T>(m: { default: T }) => m.default;

export const HOST_MODULES: Readonly<Record<SuppliedModule, HostModuleProvider>> = {
  react: () => React,
  'react-dom': () => ReactDOM,
  'react/jsx-runtime': () => jsxRuntime,
  'react/jsx-dev-runtime': () => import('react/jsx-dev-runtime'),
  'react-dom/client': () => import('react-dom/client'),
  '@grafana/data': () => grafanaData,
  '@grafana/data/unstable': () => import('@grafana/data/unstable'),
  '@grafana/ui': () => grafanaUI,
  '@grafana/ui/unstable': () => import('@grafana/ui/unstable'),
  '@grafana/runtime': () => grafanaRuntime,
  '@grafana/runtime/unstable': () => import('@grafana/runtime/unstable'),
  '@emotion/css': () => emotionCss,
  emotion: () => emotionCss,
  '@emotion/react': () => import('@emotion/react'),
  rxjs: () => rxjs,
  'rxjs/operators': () => rxjsOperators,
  lodash: () => lodash,
  moment: () => import('moment').then(defaultOf),
  i18next: () => import('i18next').then(defaultOf),
  jquery: () => import('jquery').then(defaultOf),
  d3: () => import('d3'),
  prismjs: () => import('prismjs').then(defaultOf),
  'react-inlinesvg': () => import('react-inlinesvg'),
  'react-redux': () => import('react-redux'),
  redux: () => import('redux'),
  'react-router-dom': () => import('react-router-dom'),
};
